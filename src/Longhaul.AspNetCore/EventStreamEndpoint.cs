using System.Globalization;
using System.Text;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// <c>GET /v1/operations/{id}/events</c>. Without a position the stream opens with a <c>snapshot</c> whose id is the
/// log position it reflects; with <c>Last-Event-ID</c> or <c>?after=N</c> it replays the log from N. Either way it then
/// tails the log (woken by notifications, polled every second as a backstop) and ends after the <c>done</c> event.
/// Asking to resume after the end of a finished operation answers 204, which tells EventSource clients to stop.
/// </summary>
internal static class EventStreamEndpoint
{
    public static async Task StreamAsync(HttpContext context, string id)
    {
        // End open streams when the host stops: otherwise the server's graceful shutdown waits for every connected
        // client (and the workers are not stopped, nor handed back, until then). Clients resume with Last-Event-ID.
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var slot = await Admission.TenantAdmission.EnterConnectionAsync(context, OperationEndpoints.Tenant(context)).ConfigureAwait(false);
        if (slot is null) return;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var open = context.RequestServices.GetRequiredService<LonghaulMetrics>().SseStream();
        try
        {
            await StreamAsync(context, id, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // Shutting down: the response ends here.
        }
    }

    private static async Task StreamAsync(HttpContext context, string id, CancellationToken ct)
    {
        var services = context.RequestServices;
        var store = services.GetRequiredService<IOperationStore>();
        var options = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;
        var tenant = OperationEndpoints.Tenant(context);

        long? after = null;
        var header = context.Request.Headers["Last-Event-ID"];
        var raw = header.Count > 0 ? header.ToString() : context.Request.Query["after"].ToString();
        if (!string.IsNullOrEmpty(raw))
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                await ProblemResults.BadParameterAsync(context, header.Count > 0 ? "Last-Event-ID" : "after", "must be a non-negative integer event id").ConfigureAwait(false);
                return;
            }
            after = position;
        }

        var op = await store.GetAsync(new GetParams(tenant, id), ct).ConfigureAwait(false);
        if (op is null)
        {
            await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
            return;
        }
        if (op.Done && after >= op.LastEventSeq)
        {
            context.Response.StatusCode = 204;
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache, no-transform";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var body = context.Response.Body;
        await WriteAsync(body, $"retry: {(long)options.SseRetry.TotalMilliseconds}\n\n", ct).ConfigureAwait(false);

        if (after is null)
        {
            // The snapshot reflects every event up to its id; when finished, the done event (the last) follows it.
            var position = op.Done ? op.LastEventSeq - 1 : op.LastEventSeq;
            await WriteEventAsync(body, position, EventTypes.Snapshot, Serialize(op), ct).ConfigureAwait(false);
            after = position;
        }
        await body.FlushAsync(ct).ConfigureAwait(false);

        await EventLogTail.FollowAsync(services, tenant, id, after.Value, async events =>
        {
            foreach (var e in events)
            {
                if (e.Type == EventTypes.Done)
                {
                    var final = await store.GetAsync(new GetParams(tenant, id), ct).ConfigureAwait(false);
                    if (final is not null) await WriteEventAsync(body, e.Seq, EventTypes.Done, Serialize(final), ct).ConfigureAwait(false);
                    await body.FlushAsync(ct).ConfigureAwait(false);
                    return true;
                }
                await WriteEventAsync(body, e.Seq, e.Type, e.Data?.GetRawText() ?? "null", ct).ConfigureAwait(false);
            }
            await body.FlushAsync(ct).ConfigureAwait(false);
            return false;
        }, async () =>
        {
            await WriteAsync(body, ": keep-alive\n\n", ct).ConfigureAwait(false);
            await body.FlushAsync(ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    private static string Serialize(Operation op) => JsonSerializer.Serialize(op.ToResource(), LonghaulJson.Default.OperationResource);

    internal static Task WriteEventAsync(Stream body, long id, string type, string data, CancellationToken ct)
        => WriteAsync(body, $"id: {id.ToString(CultureInfo.InvariantCulture)}\nevent: {type}\ndata: {data}\n\n", ct);

    internal static async Task WriteAsync(Stream body, string text, CancellationToken ct)
        => await body.WriteAsync(Encoding.UTF8.GetBytes(text), ct).ConfigureAwait(false);
}
