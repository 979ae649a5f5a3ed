namespace Longhaul.Storage;

/// <summary>The default: every node runs maintenance (right for a store one process owns, such as SQLite).</summary>
public sealed class SingleNodeLeadership : IMaintenanceLeadership
{
    /// <summary>Always true.</summary>
    public ValueTask<bool> IsLeaderAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
