namespace Longhaul.Kinds.Bulk;

/// <summary>The result of the <c>bulk</c> kind.</summary>
/// <param name="Action"><c>cancel</c> or <c>delete</c>.</param>
/// <param name="Matched">Operations that matched the filter (bulk operations included, which are never acted on).</param>
/// <param name="Affected">Operations cancelled (or asked to stop, when running) or deleted.</param>
/// <param name="Skipped">Matched but left alone: already finished (cancel), not finished (delete), gone meanwhile, or a bulk operation.</param>
public sealed record BulkResult(string Action, long Matched, long Affected, long Skipped);
