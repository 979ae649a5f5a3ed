namespace Longhaul.Kinds.Bulk;

/// <summary>Where a <c>bulk</c> operation is: the list cursor after the last page it finished, and its counts so far.</summary>
/// <param name="Cursor">The cursor of the next page; null before the first.</param>
/// <param name="Until">Only operations created before this time: the bulk operation's own creation (plus its millisecond).</param>
/// <param name="Total">How many matched when it began (a lower bound past the count limit).</param>
/// <param name="Matched">Operations examined so far.</param>
/// <param name="Affected">Operations cancelled or deleted so far.</param>
/// <param name="Skipped">Operations left alone so far.</param>
internal sealed record BulkCheckpoint(long? Cursor, DateTimeOffset Until, long Total, long Matched, long Affected, long Skipped);
