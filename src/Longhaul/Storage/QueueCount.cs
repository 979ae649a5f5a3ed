using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>How many operations of one kind are in one unfinished status (the queue gauges).</summary>
/// <param name="Kind">The operations' kind.</param>
/// <param name="Status">Pending or running.</param>
/// <param name="Count">How many.</param>
/// <param name="OldestReadyAt">For pending: the earliest <c>run_after</c> (when the longest-waiting one became ready); null for running.</param>
public sealed record QueueCount(string Kind, OperationStatus Status, long Count, DateTimeOffset? OldestReadyAt);
