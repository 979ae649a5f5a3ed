namespace Longhaul.Storage;

/// <summary>Claims up to <see cref="Max"/> due webhook deliveries for <see cref="Owner"/>.</summary>
/// <param name="Owner">The claiming node, stored as the lease owner (informational: the lease epoch fences).</param>
/// <param name="Max">At most this many are claimed.</param>
/// <param name="LeaseDuration">How long each lease lasts from now (store clock); longer than one attempt can take.</param>
public sealed record ClaimDeliveriesParams(string Owner, int Max, TimeSpan LeaseDuration);
