using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary><c>GET /v1/overview</c>: the tenant's counts by status and kind, throughput and failure rate over the last hour, queue depth.</summary>
internal static class OverviewEndpoint
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static async Task GetAsync(HttpContext context)
    {
        var store = context.RequestServices.GetRequiredService<IOperationStore>();
        var read = await store.OverviewAsync(new OverviewParams(OperationEndpoints.Tenant(context), Window), context.RequestAborted).ConfigureAwait(false);
        var all = read.Active.Concat(read.Finished).ToList();
        var finished = read.Finished.Sum(c => c.Count);
        var succeeded = read.Finished.Where(c => c.Status == OperationStatus.Succeeded).Sum(c => c.Count);
        var failed = read.Finished.Where(c => c.Status == OperationStatus.Failed).Sum(c => c.Count);
        var overview = new OverviewResource
        {
            AsOf = read.Now,
            WindowSeconds = (int)Window.TotalSeconds,
            ByStatus = Counts(all),
            ByKind = [.. all.GroupBy(c => c.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new KindCounts { Kind = g.Key, Counts = Counts(g) })],
            QueueDepth = read.Ready,
            ThroughputPerMinute = Math.Round(finished / Window.TotalMinutes, 3),
            FailureRate = succeeded + failed == 0 ? null : Math.Round((double)failed / (succeeded + failed), 4),
        };
        await JsonResponses.WriteAsync(context, overview, LonghaulJson.Default.OverviewResource).ConfigureAwait(false);
    }

    private static StatusCounts Counts(IEnumerable<OverviewCount> counts)
    {
        long Of(OperationStatus status) => counts.Where(c => c.Status == status).Sum(c => c.Count);
        return new StatusCounts
        {
            Pending = Of(OperationStatus.Pending),
            Running = Of(OperationStatus.Running),
            Succeeded = Of(OperationStatus.Succeeded),
            Failed = Of(OperationStatus.Failed),
            Cancelled = Of(OperationStatus.Cancelled),
        };
    }
}
