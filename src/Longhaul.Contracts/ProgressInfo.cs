namespace Longhaul.Contracts;

/// <summary>How far an operation has come, as its handler last reported it.</summary>
public sealed record ProgressInfo
{
    public double? Percent { get; init; }
    public long? Current { get; init; }
    public long? Total { get; init; }
    public string? Unit { get; init; }
    public string? Message { get; init; }
}
