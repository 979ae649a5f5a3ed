namespace Longhaul.Kinds.Http;

/// <summary>Retries of an upstream call (<c>Longhaul:Upstreams:{name}:Retry</c>).</summary>
public sealed class UpstreamRetryOptions
{
    /// <summary>Retries after the first try. Defaults to 2; 0 disables retries.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff when the upstream gives no <c>Retry-After</c>; doubles per retry. Defaults to 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before a retry; a larger <c>Retry-After</c> is not waited for. Defaults to 30 seconds or half the request timeout, whichever is shorter.</summary>
    public TimeSpan? MaxDelay { get; set; }
}
