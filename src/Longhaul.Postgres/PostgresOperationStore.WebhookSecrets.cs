using Longhaul.Storage;
using NpgsqlTypes;

namespace Longhaul.Postgres;

public sealed partial class PostgresOperationStore
{
    // The partial unique index on a tenant's current secret makes the insert a no-op when there is one. Two statements,
    // as for the server secrets: the SELECT must start after a concurrent first insert committed.
    private const string InsertCurrentSecret = $"INSERT INTO webhook_secrets (tenant, secret, created_at) VALUES (@tenant, @secret, {Now}) ON CONFLICT DO NOTHING";

    private const string SelectWebhookSecrets = $"""
        SELECT secret, created_at, expires_at FROM webhook_secrets
        WHERE tenant = @tenant AND (expires_at IS NULL OR expires_at > {Now})
        ORDER BY expires_at IS NOT NULL, created_at DESC
        """;

    // Serializes rotations of one tenant (and a first use racing them), so two rotations never leave two current secrets
    // fighting over the unique index.
    private const string LockTenantSecrets = "SELECT pg_advisory_xact_lock(hashtextextended('longhaul.webhook-secret.' || @tenant, 0))";

    private const string RotateSecrets = $"""
        DELETE FROM webhook_secrets WHERE tenant = @tenant AND expires_at <= {Now};
        UPDATE webhook_secrets SET expires_at = {Now} + @overlap WHERE tenant = @tenant AND (expires_at IS NULL OR expires_at > {Now} + @overlap);
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookSecret>> GetWebhookSecretsAsync(WebhookSecretsParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        await ExecuteAsync(scope.Command(InsertCurrentSecret).P("tenant", p.Tenant, NpgsqlDbType.Text).P("secret", p.Candidate, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        return await SelectWebhookSecretsAsync(scope, p.Tenant, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<WebhookSecret>> RotateWebhookSecretAsync(RotateWebhookSecretParams p, CancellationToken cancellationToken) => WriteAsync(async scope =>
    {
        await ExecuteAsync(scope.Command(LockTenantSecrets).P("tenant", p.Tenant, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(RotateSecrets).P("tenant", p.Tenant, NpgsqlDbType.Text).P("overlap", p.Overlap, NpgsqlDbType.Interval), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(scope.Command(InsertCurrentSecret).P("tenant", p.Tenant, NpgsqlDbType.Text).P("secret", p.NewSecret, NpgsqlDbType.Text), cancellationToken).ConfigureAwait(false);
        return await SelectWebhookSecretsAsync(scope, p.Tenant, cancellationToken).ConfigureAwait(false);
    }, cancellationToken);

    private static async Task<IReadOnlyList<WebhookSecret>> SelectWebhookSecretsAsync(PostgresWriteScope scope, string tenant, CancellationToken cancellationToken)
    {
        var secrets = new List<WebhookSecret>();
        await using var command = scope.Command(SelectWebhookSecrets).P("tenant", tenant, NpgsqlDbType.Text);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            secrets.Add(new WebhookSecret(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), Time(reader, 2)));
        }
        return secrets;
    }
}
