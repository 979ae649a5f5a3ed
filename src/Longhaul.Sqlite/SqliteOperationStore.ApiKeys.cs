using System.Text.Json;
using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    /// <inheritdoc/>
    public Task CreateApiKeyAsync(CreateApiKeyParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
        scope.Command("INSERT INTO api_keys (id, tenant, key_hash, created_at, scope, kinds) VALUES ($id, $tenant, $hash, $now, $scope, $kinds)")
            .P("$id", p.Id).P("$tenant", p.Tenant).P("$hash", p.KeyHash).P("$now", p.CreatedAt.ToUnixTimeMilliseconds())
            .P("$scope", (int)p.Scope).P("$kinds", p.Kinds is null ? null : JsonSerializer.Serialize(p.Kinds, LonghaulJsonDefaults.Options))
            .ExecuteNonQuery(), cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RevokeApiKeyAsync(RevokeApiKeyParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
        scope.Command("UPDATE api_keys SET revoked_at = $now WHERE id = $id AND revoked_at IS NULL").P("$id", p.Id).P("$now", Now()).ExecuteNonQuery() > 0,
        cancellationToken);

    /// <inheritdoc/>
    public async Task<ApiKeyRecord?> FindApiKeyAsync(FindApiKeyParams p, CancellationToken cancellationToken)
    {
        var keys = await QueryKeysAsync("WHERE key_hash = $hash", c => c.P("$hash", p.KeyHash), cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellationToken)
        => QueryKeysAsync("ORDER BY created_at", _ => { }, cancellationToken);

    private async Task<IReadOnlyList<ApiKeyRecord>> QueryKeysAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, tenant, key_hash, created_at, revoked_at, scope, kinds FROM api_keys {where}";
        bind(command);
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new ApiKeyRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), Time(reader.GetInt64(3)), Time(reader, 4),
                (ApiKeyScope)reader.GetInt32(5), reader.IsDBNull(6) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(6), LonghaulJsonDefaults.Options)));
        }
        return keys;
    }
}
