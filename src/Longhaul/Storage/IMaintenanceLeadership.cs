namespace Longhaul.Storage;

/// <summary>
/// Decides which node runs maintenance (the reaper, retention pruning). A store shared by many nodes elects one at a
/// time; a single-node store always says yes. Asked before every sweep, so a node that loses the lead stops at once and
/// another takes over at its next sweep. Implemented by Longhaul only: <see cref="SingleNodeLeadership"/> and the
/// PostgreSQL store's advisory-lock leader (ADR 7, ADR 14).
/// </summary>
public interface IMaintenanceLeadership
{
    /// <summary>True when this node should run the coming sweep.</summary>
    ValueTask<bool> IsLeaderAsync(CancellationToken cancellationToken);
}
