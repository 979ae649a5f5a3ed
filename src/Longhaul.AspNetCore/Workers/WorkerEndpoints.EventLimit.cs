using System.Globalization;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    /// <summary>
    /// The answer to a refused event write (progress, checkpoint with progress, output): 409 <c>event_limit_exceeded</c>
    /// when the tenant's <c>MaxEventsPerOperation</c> ended this attempt, else 409 <c>lease_lost</c> (ADR 0037). The write
    /// that ended it is counted and logged once, from the store's own answer; a refused write after it (a retried call, on
    /// this node or another) reads the operation once to answer the same code, and counts nothing. <c>written</c>: how many
    /// of the request's events were written before the refused one (output chunks).
    /// </summary>
    private static async Task RefusedEventWriteAsync(HttpContext context, LeaseToken lease, EventWriteResult result, int written)
    {
        var op = await Store(context).GetAsync(new GetParams(null, lease.Id), CancellationToken.None).ConfigureAwait(false);
        var byLimit = result.Outcome == EventWriteOutcome.EndedByEventLimit || EndedByEventLimit(op, lease);
        if (result.Outcome == EventWriteOutcome.EndedByEventLimit && op is not null)
            await context.RequestServices.GetRequiredService<RemoteAttemptTelemetry>().EventLimitEndedAsync(lease, op).ConfigureAwait(false);
        if (byLimit)
        {
            var done = written == 0 ? "it was not stored" : string.Create(CultureInfo.InvariantCulture, $"{written} of the chunks were written before it; the rest were not");
            await ProblemResults.WriteAsync(context, ProblemCodes.EventLimitExceeded,
                $"The operation wrote more events than its tenant's MaxEventsPerOperation allows: it failed with event_limit_exceeded and is not retried; {done}. Stop working on it.").ConfigureAwait(false);
        }
        else if (written == 0) await LeaseLostAsync(context).ConfigureAwait(false);
        else await ProblemResults.WriteAsync(context, ProblemCodes.LeaseLost, $"The lease was lost after {written} of the chunks were written; the rest were not.").ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="op"/> was failed by its event limit while <paramref name="lease"/>'s attempt held it.</summary>
    private static bool EndedByEventLimit(Operation? op, LeaseToken lease)
        => op is { Status: OperationStatus.Failed, Error.Code: OperationErrors.EventLimitExceededCode } && op.LeaseEpoch == lease.Epoch;
}
