using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // Two statements, not one: under READ COMMITTED a second node's SELECT sees the row a concurrent first insert
    // committed only in a statement that starts after that commit (its own ON CONFLICT waited for it).
    private const string InsertSecret = $"INSERT INTO secrets (name, value, created_at) VALUES (@name, @value, {Now}) ON CONFLICT (name) DO NOTHING";
    private const string SelectSecret = "SELECT value FROM secrets WHERE name = @name";

    /// <inheritdoc/>
    public Task<byte[]> GetOrAddSecretAsync(SecretParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        await using (var insert = scope.Command(InsertSecret).P("name", p.Name, NpgsqlDbType.Text).P("value", p.Candidate, NpgsqlDbType.Bytea))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var select = scope.Command(SelectSecret).P("name", p.Name, NpgsqlDbType.Text);
        return (byte[])(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }, cancellationToken);
}
