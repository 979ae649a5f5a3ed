namespace Longhaul.Storage;

/// <summary>
/// The tenant's signing secrets: the current one, stored as <paramref name="Candidate"/> when the tenant has none yet
/// (the first writer wins), then those of a rotation's overlap that have not expired.
/// </summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Candidate">A fresh <c>whsec_</c> secret to store when there is no current one.</param>
public sealed record WebhookSecretsParams(string Tenant, string Candidate);
