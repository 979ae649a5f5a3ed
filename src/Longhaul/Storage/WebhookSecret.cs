namespace Longhaul.Storage;

/// <summary>A tenant's webhook signing secret.</summary>
/// <param name="Secret">The secret in the <c>whsec_</c> format.</param>
/// <param name="CreatedAt">When it was created (store clock).</param>
/// <param name="ExpiresAt">When a rotation's overlap ends and it stops signing; null for the current secret.</param>
public sealed record WebhookSecret(string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
