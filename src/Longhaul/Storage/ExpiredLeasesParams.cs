namespace Longhaul.Storage;

/// <summary>Which expired remote leases to list.</summary>
/// <param name="Limit">At most this many, the longest expired first.</param>
public sealed record ExpiredLeasesParams(int Limit);
