using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // The output writes (fence, sequence step, event), with a warning event: rare, so their own batch kind.
    private static readonly string Warning = Output.Replace($"'{EventTypes.Output}'", $"'{EventTypes.Warning}'", StringComparison.Ordinal);
    private static readonly string WarningMany = OutputMany.Replace($"'{EventTypes.Output}'", $"'{EventTypes.Warning}'", StringComparison.Ordinal);

    /// <inheritdoc/>
    public Task<EventWriteResult> AppendWarningAsync(WarningParams p, CancellationToken cancellationToken)
        => AppendFencedEventAsync(Warning, WarningMany, p.Lease, p.Data.GetRawText(), cancellationToken);
}
