using System.Globalization;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Events;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// <c>GET /v1/events</c>: one Server-Sent Events stream for a whole list (same filters as <c>GET /v1/operations</c>).
/// Each <c>operation</c> event carries the resource of a matching operation that was started or changed, its id the
/// change time in Unix milliseconds. It reads the operations' state, not their event logs (those have a sequence per
/// operation, not one across them): woken by the same store notifications as the per-operation stream and polled every
/// second as a backstop, it re-reads the last few seconds on each pass (a write can commit after a later one) and
/// skips the changes it already sent. <c>Last-Event-ID</c> resumes from that change time, replaying what changed since.
/// </summary>
internal static class ChangeStreamEndpoint
{
    /// <summary>How far back each pass re-reads, for writes that commit after a later one: 5 seconds.</summary>
    internal static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollBackstop = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(200);
    private const int PageSize = 500;

    public static async Task StreamAsync(HttpContext context)
    {
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var slot = await Admission.TenantAdmission.EnterConnectionAsync(context, OperationEndpoints.Tenant(context)).ConfigureAwait(false);
        if (slot is null) return;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var open = context.RequestServices.GetRequiredService<LonghaulMetrics>().SseStream();
        try
        {
            await StreamAsync(context, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The client left or the host is stopping: the response ends here; clients resume with Last-Event-ID.
        }
    }

    private static async Task StreamAsync(HttpContext context, CancellationToken ct)
    {
        var services = context.RequestServices;
        var store = services.GetRequiredService<IOperationStore>();
        var signals = services.GetRequiredService<OperationSignals>();
        var time = services.GetRequiredService<TimeProvider>();
        var options = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;

        DateTimeOffset? resumeFrom = null;
        var header = context.Request.Headers["Last-Event-ID"];
        var raw = header.Count > 0 ? header.ToString() : context.Request.Query["after"].ToString();
        if (!string.IsNullOrEmpty(raw))
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > 253_402_300_799_999)
            {
                await ProblemResults.BadParameterAsync(context, header.Count > 0 ? "Last-Event-ID" : "after", "must be an event id of this stream (Unix milliseconds)").ConfigureAwait(false);
                return;
            }
            resumeFrom = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        if (await ListQuery.ReadFilterAsync(context, 0).ConfigureAwait(false) is not { } filter) return;

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache, no-transform";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var body = context.Response.Body;
        await EventStreamEndpoint.WriteAsync(body, $"retry: {(long)options.SseRetry.TotalMilliseconds}\n\n", ct).ConfigureAwait(false);
        await body.FlushAsync(ct).ConfigureAwait(false);

        // Sent changes within the overlap, by id and change time, so a re-read does not send them twice.
        var sent = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        // Without a position: changes from now on (the overlap also replays the last few seconds; node and store clocks
        // differ by less than that).
        var watermark = resumeFrom ?? time.GetUtcNow();
        var lastWrite = time.GetUtcNow();
        while (!ct.IsCancellationRequested)
        {
            var changed = signals.WatchAny();
            var readAt = time.GetUtcNow();
            var since = watermark - Overlap;
            while (true)
            {
                var page = await store.ListChangesAsync(new ChangesParams(filter, since, PageSize), ct).ConfigureAwait(false);
                foreach (var op in page)
                {
                    if (sent.TryGetValue(op.Id, out var at) && at >= op.UpdatedAt) continue;
                    sent[op.Id] = op.UpdatedAt;
                    if (op.UpdatedAt > watermark) watermark = op.UpdatedAt;
                    var data = JsonSerializer.Serialize(op.ToResource(), LonghaulJson.Default.OperationResource);
                    await EventStreamEndpoint.WriteEventAsync(body, op.UpdatedAt.ToUnixTimeMilliseconds(), "operation", data, ct).ConfigureAwait(false);
                    lastWrite = time.GetUtcNow();
                }
                if (page.Count < PageSize) break;
                var next = page[^1].UpdatedAt;
                since = next > since ? next : since.AddTicks(1);
            }
            foreach (var old in sent.Where(e => e.Value < watermark - Overlap).Select(e => e.Key).ToList()) sent.Remove(old);
            if (time.GetUtcNow() - lastWrite >= options.KeepAliveInterval)
            {
                await EventStreamEndpoint.WriteAsync(body, ": keep-alive\n\n", ct).ConfigureAwait(false);
                lastWrite = time.GetUtcNow();
            }
            await body.FlushAsync(ct).ConfigureAwait(false);
            try
            {
                await changed.WaitAsync(PollBackstop, time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Poll: re-read the changes, maybe send a keep-alive.
            }
            // Coalesce bursts (hundreds of operations reporting progress): at most one read per MinInterval.
            var wait = MinInterval - (time.GetUtcNow() - readAt);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
    }
}
