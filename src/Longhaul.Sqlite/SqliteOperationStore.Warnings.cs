using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    /// <inheritdoc/>
    public Task<EventWriteResult> AppendWarningAsync(WarningParams p, CancellationToken cancellationToken)
        => AppendFencedEventAsync(p.Lease, EventTypes.Warning, p.Data.GetRawText(), cancellationToken);
}
