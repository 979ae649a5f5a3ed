namespace Longhaul.Storage;

/// <summary>
/// Makes <paramref name="NewSecret"/> the tenant's current secret; the ones it replaces keep signing until now plus
/// <paramref name="Overlap"/> (store clock) at the latest, so receivers can switch without a gap.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="NewSecret">The new <c>whsec_</c> secret.</param>
/// <param name="Overlap">How long the replaced secret keeps signing; zero ends it at once.</param>
public sealed record RotateWebhookSecretParams(string Tenant, string NewSecret, TimeSpan Overlap);
