namespace Longhaul.Contracts;

/// <summary>How far an operation has come, as its handler last reported it.</summary>
public sealed record ProgressInfo
{
    /// <summary>0 to 100; computed from <see cref="Current"/> and <see cref="Total"/> when the handler sends only those.</summary>
    public double? Percent { get; init; }
    /// <summary>Units done so far, for example rows imported.</summary>
    public long? Current { get; init; }
    /// <summary>Units to do in all; null when unknown.</summary>
    public long? Total { get; init; }
    /// <summary>What <see cref="Current"/> and <see cref="Total"/> count, for example <c>rows</c>.</summary>
    public string? Unit { get; init; }
    /// <summary>A short line about the current step, for people.</summary>
    public string? Message { get; init; }
}
