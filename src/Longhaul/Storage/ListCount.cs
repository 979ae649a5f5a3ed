namespace Longhaul.Storage;

/// <summary>How many operations match a list's filters.</summary>
/// <param name="Count">The number counted.</param>
/// <param name="Exact">False when counting stopped at the scan limit: then <paramref name="Count"/> is a lower bound.</param>
public sealed record ListCount(long Count, bool Exact);
