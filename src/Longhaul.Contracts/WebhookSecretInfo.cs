namespace Longhaul.Contracts;

/// <summary>One of a tenant's webhook signing secrets.</summary>
public sealed record WebhookSecretInfo
{
    /// <summary>The secret, <c>whsec_</c> and the base64 of its key bytes (the Standard Webhooks format).</summary>
    public required string Secret { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it stops signing (the end of a rotation's overlap); null for the current secret.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
