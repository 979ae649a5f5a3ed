using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string SelectStorageUsage = """
        SELECT
            (SELECT COUNT(*) FROM operation_files f JOIN operations o ON o.seq = f.operation_seq WHERE o.tenant = $tenant AND f.length > 0),
            (SELECT COALESCE(SUM(f.length), 0) FROM operation_files f JOIN operations o ON o.seq = f.operation_seq WHERE o.tenant = $tenant AND f.length > 0),
            (SELECT COUNT(*) FROM uploads WHERE tenant = $tenant),
            (SELECT COALESCE(SUM(length), 0) FROM uploads WHERE tenant = $tenant),
            COALESCE((SELECT pending FROM tenant_pending WHERE tenant = $tenant), 0),
            (SELECT COUNT(*) FROM operations WHERE tenant = $tenant AND finished_at IS NULL AND status = 1)
        """;

    /// <inheritdoc/>
    public async Task<StorageUsage> GetStorageUsageAsync(StorageUsageParams p, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectStorageUsage;
        command.P("$tenant", p.Tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StorageUsage(reader.GetInt64(0), reader.GetInt64(1))
        {
            Uploads = reader.GetInt64(2),
            UploadBytes = reader.GetInt64(3),
            Pending = reader.GetInt64(4),
            Running = reader.GetInt64(5),
        };
    }
}
