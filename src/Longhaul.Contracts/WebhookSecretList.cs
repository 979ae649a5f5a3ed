namespace Longhaul.Contracts;

/// <summary>The answer of <c>GET /v1/webhooks/secret</c> and <c>POST /v1/webhooks/secret/rotate</c>.</summary>
public sealed record WebhookSecretList
{
    /// <summary>The current secret first, then any that still sign during a rotation's overlap.</summary>
    public required IReadOnlyList<WebhookSecretInfo> Secrets { get; init; }
}
