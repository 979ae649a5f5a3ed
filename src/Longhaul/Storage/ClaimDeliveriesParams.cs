namespace Longhaul.Storage;

/// <summary>Claims up to <see cref="Max"/> due webhook deliveries for <see cref="Owner"/>.</summary>
/// <param name="Owner">The claiming node, stored as the lease owner (informational: the lease epoch fences).</param>
/// <param name="Max">At most this many are claimed.</param>
/// <param name="LeaseDuration">How long each lease lasts from now (store clock); longer than one attempt can take.</param>
/// <param name="LeasesExpiringBefore">
/// Also take deliveries whose lease expires before this time although it has not expired yet: on a single-owner store
/// (see <see cref="IOperationStore.OwnsAllLeases"/>) the process's start plus the lease duration, so the leases of its
/// previous life are taken back at once and its own claims never are. Null on a shared store.
/// </param>
public sealed record ClaimDeliveriesParams(string Owner, int Max, TimeSpan LeaseDuration, DateTimeOffset? LeasesExpiringBefore = null);
