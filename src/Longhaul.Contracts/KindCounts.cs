namespace Longhaul.Contracts;

/// <summary>One kind's counts in the overview.</summary>
public sealed record KindCounts
{
    /// <summary>The kind.</summary>
    public required string Kind { get; init; }
    /// <summary>Its counts by status.</summary>
    public required StatusCounts Counts { get; init; }
}
