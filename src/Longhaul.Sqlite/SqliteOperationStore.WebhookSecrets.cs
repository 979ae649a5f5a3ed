using Longhaul.Storage;

namespace Longhaul.Sqlite;

public sealed partial class SqliteOperationStore
{
    // The partial unique index on a tenant's current secret makes the insert a no-op when there is one.
    private const string InsertCurrentSecret = "INSERT OR IGNORE INTO webhook_secrets (tenant, secret, created_at, expires_at) VALUES ($tenant, $secret, $now, NULL)";

    private const string SelectSecrets = """
        SELECT secret, created_at, expires_at FROM webhook_secrets
        WHERE tenant = $tenant AND (expires_at IS NULL OR expires_at > $now)
        ORDER BY expires_at IS NOT NULL, created_at DESC
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookSecret>> GetWebhookSecretsAsync(WebhookSecretsParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        scope.Command(InsertCurrentSecret).P("$tenant", p.Tenant).P("$secret", p.Candidate).P("$now", now).ExecuteNonQuery();
        return SelectSecretsInWriter(scope, p.Tenant, now);
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookSecret>> RotateWebhookSecretAsync(RotateWebhookSecretParams p, CancellationToken cancellationToken) => _writer.ExecuteAsync(scope =>
    {
        var now = Now();
        scope.Command("DELETE FROM webhook_secrets WHERE tenant = $tenant AND expires_at <= $now").P("$tenant", p.Tenant).P("$now", now).ExecuteNonQuery();
        scope.Command("UPDATE webhook_secrets SET expires_at = $until WHERE tenant = $tenant AND (expires_at IS NULL OR expires_at > $until)")
            .P("$tenant", p.Tenant).P("$until", now + (long)p.Overlap.TotalMilliseconds).ExecuteNonQuery();
        scope.Command(InsertCurrentSecret).P("$tenant", p.Tenant).P("$secret", p.NewSecret).P("$now", now).ExecuteNonQuery();
        return SelectSecretsInWriter(scope, p.Tenant, now);
    }, cancellationToken);

    private static IReadOnlyList<WebhookSecret> SelectSecretsInWriter(WriteScope scope, string tenant, long now)
    {
        var secrets = new List<WebhookSecret>();
        using var reader = scope.Command(SelectSecrets).P("$tenant", tenant).P("$now", now).ExecuteReader();
        while (reader.Read()) secrets.Add(new WebhookSecret(reader.GetString(0), Time(reader.GetInt64(1)), Time(reader, 2)));
        return secrets;
    }
}
