using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    /// <inheritdoc/>
    public Task<int> PruneAsync(PruneParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        var cutoff = now - (long)p.Retention.TotalMilliseconds;
        var victims = new List<(long Seq, string Id)>();
        using (var reader = scope.Command("SELECT seq, id FROM operations WHERE status >= 2 AND finished_at < $cutoff LIMIT $n").P("$cutoff", cutoff).P("$n", p.BatchSize).ExecuteReader())
        {
            while (reader.Read()) victims.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        foreach (var (seq, id) in victims) DeleteOperation(scope, seq, id);
        scope.Command("DELETE FROM idempotency_keys WHERE expires_at <= $now").P("$now", now).ExecuteNonQuery();
        scope.Command(PruneUploadChunks).P("$now", now).ExecuteNonQuery();
        scope.Command("DELETE FROM uploads WHERE expires_at <= $now").P("$now", now).ExecuteNonQuery();
        scope.Command(PruneWorkers).P("$cutoff", now - (long)(p.WorkerRetention ?? PruneParams.DefaultWorkerRetention).TotalMilliseconds).ExecuteNonQuery();
        return victims.Count;
    }, cancellationToken);
}
