using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    /// <inheritdoc/>
    public Task<bool> AppendWarningAsync(WarningParams p, CancellationToken cancellationToken)
    {
        var data = p.Data.GetRawText();
        return _writer.ExecuteAsync(scope =>
        {
            var now = Now();
            // The output write's fence and sequence step, with a warning event.
            if (Fenced(scope, scope.Command(Output).P("$now", now).P("$id", p.Lease.Id).P("$epoch", p.Lease.Epoch)) is not { } r) return false;
            AppendEvent(scope, r.OpSeq, r.LastSeq, EventTypes.Warning, data, now);
            scope.Notify(StoreNotificationKind.OperationChanged, p.Lease.Id);
            return true;
        }, cancellationToken);
    }
}
