namespace Longhaul.Webhooks;

/// <summary>
/// Completion webhooks (<c>Longhaul:Webhooks</c>): callback URL limits, the delivery workers (which run on nodes that
/// run workers), their timeouts and the retry schedule. See docs/webhooks.md.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Longhaul:Webhooks";

    /// <summary>The longest <c>callback_url</c> accepted, in characters. Defaults to 2048.</summary>
    public int MaxCallbackUrlLength { get; set; } = 2048;

    /// <summary>How long a delivery may take to connect (resolving and checking the host included). Defaults to 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a delivery waits for the receiver's answer, connection included. Defaults to 10 seconds.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most bytes of a receiver's answer read (and dropped); the rest is not read. Defaults to 4096.</summary>
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>The delay before the first retry; each later retry doubles it, with ±20 % jitter. Defaults to 5 seconds.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest delay between two attempts. Defaults to 1 hour.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after the final state (or a redelivery request) attempts are made; then the delivery fails. Defaults to 24 hours.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest <c>Retry-After</c> of a 429 or 503 answer that is honoured; a longer one is cut to this. Defaults to 1 hour.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Deliveries a node sends at once. Defaults to 64.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>Deliveries a node sends at once to one destination (scheme, host and port). Defaults to 8.</summary>
    public int MaxConcurrentPerDestination { get; set; } = 8;

    /// <summary>How long a node's claim on a delivery lasts; another node takes it over after that. Must exceed <see cref="ResponseTimeout"/>. Defaults to 60 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a node looks for due deliveries when no notification woke it. Defaults to 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
