namespace Longhaul.Contracts;

/// <summary>Operation counts by status, in the overview: pending and running are all of them, the final states only those finished within the window.</summary>
public sealed record StatusCounts
{
    /// <summary>Pending operations (all).</summary>
    public long Pending { get; init; }
    /// <summary>Running operations (all).</summary>
    public long Running { get; init; }
    /// <summary>Operations that succeeded within the window.</summary>
    public long Succeeded { get; init; }
    /// <summary>Operations that failed within the window.</summary>
    public long Failed { get; init; }
    /// <summary>Operations cancelled within the window.</summary>
    public long Cancelled { get; init; }
}
