namespace Longhaul.Contracts;

/// <summary><c>GET /v1/overview</c>: what the caller's tenant has running, queued and recently finished.</summary>
public sealed record OverviewResource
{
    /// <summary>The store's clock when the counts were read.</summary>
    public required DateTimeOffset AsOf { get; init; }
    /// <summary>The window the final-state counts cover, in seconds before <see cref="AsOf"/> (3600).</summary>
    public required int WindowSeconds { get; init; }
    /// <summary>Counts by status: all pending and running, the final states within the window.</summary>
    public required StatusCounts ByStatus { get; init; }
    /// <summary>The same counts per kind, kinds in name order.</summary>
    public required IReadOnlyList<KindCounts> ByKind { get; init; }
    /// <summary>Pending operations ready to run now (not waiting out a retry backoff).</summary>
    public required long QueueDepth { get; init; }
    /// <summary>Operations that finished (any final state) within the window, per minute.</summary>
    public required double ThroughputPerMinute { get; init; }
    /// <summary>Failed divided by succeeded plus failed within the window; null when none finished that way.</summary>
    public double? FailureRate { get; init; }
}
