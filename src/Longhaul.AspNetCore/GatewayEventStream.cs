using System.Text;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Longhaul.AspNetCore;

/// <summary>
/// The gateway's answer when the upstream answered <c>text/event-stream</c>: the operation's <c>output</c> events
/// turned back into the upstream's own events (<c>event:</c> and <c>data:</c>), live from the event log, so a
/// streaming client sees the tokens as they arrive. The operation stays durable: a client that goes away can watch
/// the rest at <c>/v1/operations/{id}/events</c>.
/// </summary>
internal static class GatewayEventStream
{
    /// <summary>Headers of the relayed stream itself, never taken from the upstream.</summary>
    private static readonly HashSet<string> StreamOwned = new(StringComparer.OrdinalIgnoreCase)
    {
        "date", "content-length", "content-type", "content-encoding", "cache-control", "x-accel-buffering",
    };

    public static async Task WriteAsync(HttpContext context, Operation op)
    {
        var services = context.RequestServices;
        var store = services.GetRequiredService<IOperationStore>();
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        var body = response.Body;

        Operation? final = null;
        try
        {
            await EventLogTail.FollowAsync(services, op.Tenant, op.Id, 0, async events =>
            {
                foreach (var e in events)
                {
                    if (e.Type == EventTypes.Done)
                    {
                        final = await store.GetAsync(new GetParams(op.Tenant, op.Id), ct).ConfigureAwait(false);
                        return true;
                    }
                    if (e.Type == EventTypes.Output && e.Data is { ValueKind: JsonValueKind.Object } chunk)
                    {
                        if (!response.HasStarted) ApplyUpstreamResponse(response, chunk);
                        await WriteUpstreamEventAsync(body, chunk, ct).ConfigureAwait(false);
                    }
                }
                await body.FlushAsync(ct).ConfigureAwait(false);
                return false;
            }, () => body.WriteAsync(": keep-alive\n\n"u8.ToArray(), ct).AsTask(), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // Shutting down: the stream cannot be finished here (see below).
        }
        // The upstream's stream ended cleanly (an error event it sent was forwarded like any other event): end ours.
        // Anything else (broken upstream connection, cancellation, deletion, shutdown) must not look like a complete
        // answer, so the connection is aborted the way the upstream's broke; the operation tells the rest.
        if (final is { Status: OperationStatus.Succeeded } or { Error.Code: "upstream_stream_error" })
        {
            await body.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            return;
        }
        context.Abort();
    }

    /// <summary>
    /// The upstream's status and headers from the first <c>output</c> chunk (<c>response</c>), as the gateway relays
    /// them for a plain answer; this stream's own framing headers stay.
    /// </summary>
    private static void ApplyUpstreamResponse(HttpResponse response, JsonElement chunk)
    {
        if (!chunk.TryGetProperty("response", out var upstream) || upstream.ValueKind != JsonValueKind.Object) return;
        if (upstream.TryGetProperty("status", out var status) && status.TryGetInt32(out var code) && code is >= 200 and < 300)
            response.StatusCode = code;
        if (!upstream.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Object) return;
        foreach (var header in headers.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String || StreamOwned.Contains(header.Name)) continue;
            response.Headers[header.Name] = header.Value.GetString();
        }
    }

    /// <summary>An <c>output</c> chunk (<c>{ event, data, text? }</c>) as the upstream sent it.</summary>
    private static async Task WriteUpstreamEventAsync(Stream body, JsonElement chunk, CancellationToken ct)
    {
        var text = new StringBuilder();
        if (chunk.TryGetProperty("event", out var type) && type.ValueKind == JsonValueKind.String && !type.ValueEquals("message"))
            text.Append("event: ").Append(type.GetString()).Append('\n');
        var data = chunk.TryGetProperty("data", out var d) ? d : default;
        // Data that was not JSON (OpenAI's [DONE]) was kept as a string: it goes back raw.
        var raw = data.ValueKind switch
        {
            JsonValueKind.String => data.GetString()!,
            JsonValueKind.Undefined => "",
            _ => data.GetRawText(),
        };
        foreach (var line in raw.Split('\n')) text.Append("data: ").Append(line).Append('\n');
        text.Append('\n');
        await body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct).ConfigureAwait(false);
    }
}
