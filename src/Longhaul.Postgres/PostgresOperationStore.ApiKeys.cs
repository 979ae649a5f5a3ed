using Longhaul.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    private const string InsertApiKey = "INSERT INTO api_keys (id, tenant, key_hash, created_at, scope, kinds) VALUES (@id, @tenant, @hash, @created, @scope, @kinds)";
    private const string RevokeApiKey = $"UPDATE api_keys SET revoked_at = {Now} WHERE id = @id AND revoked_at IS NULL";

    private const string SelectApiKeyByHash = "SELECT id, tenant, key_hash, created_at, revoked_at, scope, kinds FROM api_keys WHERE key_hash = @hash";
    private const string SelectApiKeys = "SELECT id, tenant, key_hash, created_at, revoked_at, scope, kinds FROM api_keys ORDER BY created_at, id";

    /// <inheritdoc/>
    public Task CreateApiKeyAsync(CreateApiKeyParams p, CancellationToken cancellationToken) => WriteAsync(scope =>
        ExecuteAsync(scope.Command(InsertApiKey)
            .P("id", p.Id, NpgsqlDbType.Text).P("tenant", p.Tenant, NpgsqlDbType.Text).P("hash", p.KeyHash, NpgsqlDbType.Text)
            .P("created", p.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz)
            .P("scope", (int)p.Scope, NpgsqlDbType.Integer).P("kinds", p.Kinds?.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text), cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public async Task<bool> RevokeApiKeyAsync(RevokeApiKeyParams p, CancellationToken cancellationToken)
        => await WriteAsync(scope => ExecuteAsync(scope.Command(RevokeApiKey).P("id", p.Id, NpgsqlDbType.Text), cancellationToken), cancellationToken).ConfigureAwait(false) > 0;

    /// <inheritdoc/>
    public async Task<ApiKeyRecord?> FindApiKeyAsync(FindApiKeyParams p, CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectApiKeyByHash).P("hash", p.KeyHash, NpgsqlDbType.Text);
        var keys = await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var command = ReadCommand(SelectApiKeys);
        return await ReadKeysAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<ApiKeyRecord>> ReadKeysAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new ApiKeyRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), Time(reader, 4),
                (ApiKeyScope)reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<string[]>(6)));
        }
        return keys;
    }
}
