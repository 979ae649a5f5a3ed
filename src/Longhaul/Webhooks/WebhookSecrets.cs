using System.Collections.Concurrent;
using Longhaul.Storage;

namespace Longhaul.Webhooks;

/// <summary>
/// The tenants' signing secrets as the delivery workers use them: read from the store (created on first use) and kept
/// for a few seconds, so a burst of deliveries does not read them once each. A rotation on another node reaches this
/// one within <see cref="CacheFor"/>; the secret it replaces keeps signing during the overlap, so nothing is lost.
/// </summary>
internal sealed class WebhookSecrets(IOperationStore store, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyList<WebhookSecret> Secrets)> _cache = new(StringComparer.Ordinal);

    /// <summary>The secrets that sign the tenant's deliveries now, current first.</summary>
    public async Task<IReadOnlyList<string>> SigningSecretsAsync(string tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(tenant, out var entry) || entry.Until <= now)
        {
            var secrets = await store.GetWebhookSecretsAsync(new WebhookSecretsParams(tenant, WebhookSignature.NewSecret()), cancellationToken).ConfigureAwait(false);
            entry = (now + CacheFor, secrets);
            _cache[tenant] = entry;
        }
        return [.. entry.Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now).Select(s => s.Secret)];
    }

    /// <summary>The tenant's secrets as stored (created on first use), current first.</summary>
    public Task<IReadOnlyList<WebhookSecret>> ShowAsync(string tenant, CancellationToken cancellationToken)
        => store.GetWebhookSecretsAsync(new WebhookSecretsParams(tenant, WebhookSignature.NewSecret()), cancellationToken);

    /// <summary>A new current secret; the replaced one signs on for <paramref name="overlap"/>.</summary>
    public async Task<IReadOnlyList<WebhookSecret>> RotateAsync(string tenant, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var secrets = await store.RotateWebhookSecretAsync(new RotateWebhookSecretParams(tenant, WebhookSignature.NewSecret(), overlap), cancellationToken).ConfigureAwait(false);
        _cache.TryRemove(tenant, out _);
        return secrets;
    }
}
