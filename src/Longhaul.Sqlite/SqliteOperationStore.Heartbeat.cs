using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string Heartbeat = "UPDATE operations SET lease_expires_at = $expires WHERE id = $id AND lease_epoch = $epoch AND status = 1 RETURNING cancel_requested";

    /// <inheritdoc/>
    public Task<HeartbeatResult> HeartbeatAsync(HeartbeatParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var expires = Now() + (long)p.LeaseDuration.TotalMilliseconds;
        var lost = new List<string>();
        var cancel = new List<string>();
        foreach (var lease in p.Leases)
        {
            var flag = scope.Command(Heartbeat).P("$expires", expires).P("$id", lease.Id).P("$epoch", lease.Epoch).ExecuteScalar();
            if (flag is null) lost.Add(lease.Id);
            else if (Convert.ToInt64(flag, System.Globalization.CultureInfo.InvariantCulture) != 0) cancel.Add(lease.Id);
        }
        return new HeartbeatResult(lost, cancel);
    }, cancellationToken);
}
