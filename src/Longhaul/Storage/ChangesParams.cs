namespace Longhaul.Storage;

/// <summary>The operations of a list that changed since a time.</summary>
/// <param name="Filter">The list's tenant and filters (its page size and cursor are ignored).</param>
/// <param name="Since">Operations updated at or after this time (store clock).</param>
/// <param name="Limit">At most this many, oldest change first.</param>
public sealed record ChangesParams(ListParams Filter, DateTimeOffset Since, int Limit);
