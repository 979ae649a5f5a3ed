using System.ComponentModel;
using Longhaul.Contracts;
using Longhaul.Listing;
using Longhaul.Storage;
using Longhaul.Telemetry;

namespace Longhaul.Kinds.Bulk;

/// <summary>
/// Built-in kind <c>bulk</c>: cancels or deletes every operation of the tenant that matches a list filter and was
/// started before the bulk operation itself, page by page (newest first), saving the list cursor and its counts as a
/// checkpoint after each page, so a restarted attempt resumes after the last finished page. Acting twice on one
/// operation is harmless (a second cancel or delete finds it finished or gone and counts it skipped). Bulk operations
/// are never acted on, this one included.
/// </summary>
[Description("Cancels or deletes every operation matching a filter, with progress.")]
internal sealed class BulkHandler(IOperationStore store, LonghaulMetrics metrics, TimeProvider time) : OperationHandler<BulkInput, BulkResult>
{
    /// <summary>The kind name, <c>bulk</c>.</summary>
    public const string KindName = "bulk";

    private const int PageSize = 100;

    /// <summary>Always <see cref="KindName"/>.</summary>
    public override string Kind => KindName;

    /// <summary>Walks the filter's pages from the checkpoint on, acting on each operation.</summary>
    protected override async Task<BulkResult> ExecuteAsync(BulkInput input, OperationContext context, CancellationToken cancellationToken)
    {
        var state = context.GetCheckpoint<BulkCheckpoint>();
        if (state is null)
        {
            var self = await store.GetAsync(new GetParams(context.Tenant, context.OperationId), cancellationToken).ConfigureAwait(false)
                ?? throw new OperationCanceledException("The bulk operation was deleted.");
            var until = self.CreatedAt.AddMilliseconds(1);
            var total = await store.CountAsync(Filter(input, context.Tenant, until), cancellationToken).ConfigureAwait(false);
            state = new BulkCheckpoint(null, until, total.Count, 0, 0, 0);
            await context.SaveCheckpointAsync(state, Progress(state), cancellationToken).ConfigureAwait(false);
        }
        var filter = Filter(input, context.Tenant, state.Until);
        var cancel = input.Action == "cancel";
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await store.ListAsync(filter with { BeforeCursor = state.Cursor }, cancellationToken).ConfigureAwait(false);
            long affected = 0, skipped = 0;
            foreach (var op in page.Operations)
            {
                var acted = op.Kind != KindName && (cancel ? await CancelAsync(op, cancellationToken).ConfigureAwait(false) : await DeleteAsync(op, cancellationToken).ConfigureAwait(false));
                if (acted) affected++;
                else skipped++;
            }
            state = state with
            {
                Cursor = page.NextCursor,
                Matched = state.Matched + page.Operations.Count,
                Affected = state.Affected + affected,
                Skipped = state.Skipped + skipped,
            };
            await context.SaveCheckpointAsync(state, Progress(state), cancellationToken).ConfigureAwait(false);
        }
        while (state.Cursor is not null);
        return new BulkResult(input.Action, state.Matched, state.Affected, state.Skipped);
    }

    private async Task<bool> CancelAsync(Operation op, CancellationToken cancellationToken)
    {
        var result = await store.CancelAsync(new CancelParams(op.Tenant, op.Id), cancellationToken).ConfigureAwait(false);
        if (result.Outcome == CancelOutcome.Cancelled)
            metrics.Finished(result.Operation!, OperationStatus.Cancelled, OperationErrors.CancelledCode, time.GetUtcNow());
        return result.Outcome is CancelOutcome.Cancelled or CancelOutcome.Requested;
    }

    private async Task<bool> DeleteAsync(Operation op, CancellationToken cancellationToken)
        => await store.DeleteAsync(new DeleteParams(op.Tenant, op.Id), cancellationToken).ConfigureAwait(false) == DeleteOutcome.Deleted;

    private static ProgressInfo Progress(BulkCheckpoint state) => new()
    {
        Current = state.Matched,
        Total = Math.Max(state.Total, state.Matched),
        Unit = "operations",
        Message = $"{state.Affected} done, {state.Skipped} skipped",
    };

    private static ListParams Filter(BulkInput input, string tenant, DateTimeOffset until)
    {
        DateTimeOffset? before = null;
        if (input.CreatedBefore is not null && ListFilterRules.TryParseTime(input.CreatedBefore, out var b)) before = b;
        if (before is null || until < before) before = until;
        DateTimeOffset? after = input.CreatedAfter is not null && ListFilterRules.TryParseTime(input.CreatedAfter, out var a) ? a : null;
        IReadOnlyList<OperationStatus> statuses = [];
        if (input.Status is not null && !ListFilterRules.TryParseStatuses(input.Status, out statuses))
            throw new PermanentFailureException(OperationErrors.InvalidInputCode, "The stored status filter is not valid.");
        return new ListParams(tenant, null, input.Kind, PageSize, null)
        {
            Statuses = statuses,
            CreatedAfter = after,
            CreatedBefore = before,
            Metadata = [.. (input.Metadata ?? []).Select(m => new MetadataMatch(m.Key, m.Value))],
        };
    }
}
