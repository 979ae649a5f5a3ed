namespace Longhaul.Storage;

/// <summary>A running operation whose remote worker's lease expired, as the store row and its event log have it.</summary>
/// <param name="Id">The operation's id.</param>
/// <param name="Epoch">The expired lease's epoch.</param>
/// <param name="Attempt">The attempt the lease was for.</param>
/// <param name="Owner">The lease's owner (<c>remote/{worker}</c>).</param>
/// <param name="ClaimedAt">When the attempt's claim was logged (its <c>running</c> status event); null when the log no longer has it.</param>
public sealed record ExpiredLease(string Id, long Epoch, int Attempt, string Owner, DateTimeOffset? ClaimedAt);
