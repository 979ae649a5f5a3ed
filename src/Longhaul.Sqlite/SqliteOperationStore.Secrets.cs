using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    private const string InsertSecret = "INSERT OR IGNORE INTO secrets (name, value, created_at) VALUES ($name, $value, $now)";
    private const string SelectSecret = "SELECT value FROM secrets WHERE name = $name";

    /// <inheritdoc/>
    public Task<byte[]> GetOrAddSecretAsync(SecretParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        scope.Command(InsertSecret).P("$name", p.Name).P("$value", p.Candidate).P("$now", Now()).ExecuteNonQuery();
        return (byte[])scope.Command(SelectSecret).P("$name", p.Name).ExecuteScalar()!;
    }, cancellationToken);
}
