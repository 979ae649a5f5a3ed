using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Egress;
using Longhaul.Execution;
using Longhaul.Storage;
using Microsoft.Extensions.Logging;

namespace Longhaul.Kinds.Http;

/// <summary>
/// Built-in kind <c>http</c>: one call to a configured upstream, with the upstream's own timeout, safe retries,
/// injected headers, a response cap, and <c>text/event-stream</c> answers forwarded event by event as output.
/// Split by concern: input validation, the request, a plain body, an event stream, logging.
/// </summary>
/// <remarks>
/// A request that may have reached the upstream is sent again only when that is safe: the method is idempotent
/// (RFC 9110) or the upstream is <see cref="UpstreamOptions.RetrySafe"/>. Otherwise every failure after sending is
/// permanent, unexpected ones included (<c>internal_error</c>), so the engine does not run the attempt again.
/// </remarks>
internal sealed partial class HttpHandler(UpstreamRegistry upstreams, HttpKindMetrics metrics, TimeProvider time, ILogger<HttpHandler> logger) : IOperationHandler
{
    public const string KindName = "http";

    /// <summary>The code of a failure that is none of the upstream's answers (a defect, a store failure); details are logged.</summary>
    public const string InternalErrorCode = OperationErrors.InternalErrorCode;

    /// <summary>The idempotent methods of RFC 9110 §9.2.2: repeating one has the effect of sending it once.</summary>
    private static readonly HashSet<string> Idempotent = new(StringComparer.Ordinal) { "GET", "HEAD", "PUT", "DELETE", "OPTIONS" };

    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "upstream": { "type": "string", "description": "A configured upstream (Longhaul:Upstreams:{name})." },
            "method": { "type": "string", "description": "HTTP method, one the upstream allows." },
            "path": { "type": "string", "description": "Path under the upstream's base URL, inside its allowed prefixes." },
            "query": { "type": "object", "additionalProperties": { "type": ["string", "number", "boolean"] } },
            "headers": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Injected headers win; hop-by-hop headers are dropped." },
            "body": { "description": "A string is sent as text, anything else as JSON." },
            "stream": { "type": "boolean", "description": "Forward an event-stream answer as output events (default true)." }
          },
          "required": ["upstream", "method", "path"]
        }
        """).RootElement.Clone();

    public string Kind => KindName;

    public string? Description => "Calls a configured upstream HTTP API; streamed (SSE) answers become output events.";

    public JsonElement? InputSchema => Schema;

    public async Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        var input = context.Input;
        var upstream = upstreams.Find(input.GetProperty("upstream").GetString()!)
            ?? throw new PermanentFailureException("unknown_upstream", "The upstream is no longer configured.");
        var method = input.GetProperty("method").GetString()!.ToUpperInvariant();
        var query = input.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.Object
            ? q.EnumerateObject().Select(x => KeyValuePair.Create(x.Name, x.Value.ValueKind == JsonValueKind.String ? x.Value.GetString()! : x.Value.GetRawText())).ToList()
            : [];
        var uri = upstream.BuildUri(input.GetProperty("path").GetString()!, query);
        var forward = !input.TryGetProperty("stream", out var s) || s.ValueKind != JsonValueKind.False;
        var options = upstream.Options;
        var retrySafe = IsRetrySafe(upstream, method);
        var sent = false;

        // The operation's deadline bounds the call too: when it is the sooner limit, the call stops at the deadline and the
        // error says which limit cut it, instead of an unexplained deadline_exceeded.
        var callTimeout = options.RequestTimeout;
        var deadline = context.DeadlineAt;
        var deadlineBound = false;
        if (deadline is { } d && d - time.GetUtcNow() < callTimeout)
        {
            callTimeout = d - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;
            deadlineBound = true;
        }
        using var timeout = new CancellationTokenSource(callTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;
        var acquired = false;
        var started = time.GetTimestamp();
        var outcome = "error";
        try
        {
            await upstream.Slots.WaitAsync(token).ConfigureAwait(false);
            acquired = true;
            for (var retry = 0; ; retry++)
            {
                var canRetry = retry < options.Retry.MaxRetries;
                HttpResponseMessage response;
                try
                {
                    using var request = BuildRequest(upstream, method, uri, input);
                    // From here on the upstream may have the request, whatever happens next.
                    sent = true;
                    response = await upstream.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                }
                catch (HttpRequestException ex) when (ex.InnerException is EgressRefusedException refused)
                {
                    // Refused before a socket was opened: nothing was sent, and asking again gets the same answer.
                    outcome = EgressRefusedException.Code;
                    throw new PermanentFailureException(EgressRefusedException.Code,
                        $"The egress guard refused the connection to upstream '{upstream.Name}': {refused.Reason}.",
                        Details(new JsonObject { ["upstream"] = upstream.Name, ["reason"] = refused.Reason }));
                }
                catch (HttpRequestException ex) when (!token.IsCancellationRequested)
                {
                    // Connection failures happen before anything was sent: always safe to retry.
                    var notSent = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError;
                    if (canRetry && (notSent || retrySafe))
                    {
                        await BackOffAsync(upstream, retry, null, ex.HttpRequestError.ToString(), token).ConfigureAwait(false);
                        continue;
                    }
                    throw new PermanentFailureException(notSent ? "upstream_unreachable" : "upstream_failed",
                        $"The call to upstream '{upstream.Name}' failed: {ex.HttpRequestError}.", Details(new JsonObject { ["upstream"] = upstream.Name, ["error"] = ex.HttpRequestError.ToString() }));
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    // SocketsHttpHandler's ConnectTimeout surfaces as a cancellation nobody asked for: nothing was sent.
                    if (canRetry)
                    {
                        await BackOffAsync(upstream, retry, null, "connect timeout", token).ConfigureAwait(false);
                        continue;
                    }
                    throw new PermanentFailureException("upstream_unreachable",
                        $"Upstream '{upstream.Name}' could not be connected to within {options.EffectiveConnectTimeout.TotalSeconds:0.###} s.",
                        Details(new JsonObject { ["upstream"] = upstream.Name, ["error"] = "ConnectTimeout" }));
                }
                using (response)
                {
                    var status = (int)response.StatusCode;
                    if (canRetry && (status is 429 or 503 || (retrySafe && status is 500 or 502 or 504)))
                    {
                        var retryAfter = RetryAfter(response);
                        // A wait that would outlast the operation's deadline is not worth starting: the upstream's answer is more useful.
                        var pastDeadline = deadline is { } dl && retryAfter is { } wait && time.GetUtcNow() + wait >= dl;
                        if ((retryAfter is null || retryAfter <= options.EffectiveRetryMaxDelay) && !pastDeadline)
                        {
                            await BackOffAsync(upstream, retry, retryAfter, status.ToString(CultureInfo.InvariantCulture), token).ConfigureAwait(false);
                            continue;
                        }
                    }
                    outcome = status.ToString(CultureInfo.InvariantCulture);
                    var isStream = response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/event-stream";
                    try
                    {
                        var answer = isStream
                            ? await ReadStreamAsync(context, upstream, response, forward, token).ConfigureAwait(false)
                            : await ReadBodyAsync(context, upstream, response, method, token).ConfigureAwait(false);
                        // Serialized here, not by the engine, so that a failure to do it is one of this call's failures.
                        return Details(answer);
                    }
                    catch (UpstreamReadException) when (!token.IsCancellationRequested)
                    {
                        if (!isStream && canRetry && retrySafe)
                        {
                            await BackOffAsync(upstream, retry, null, "body", token).ConfigureAwait(false);
                            continue;
                        }
                        throw new PermanentFailureException(isStream ? "upstream_stream_interrupted" : "upstream_failed",
                            $"The connection to upstream '{upstream.Name}' broke while reading its answer.", Details(new JsonObject { ["upstream"] = upstream.Name, ["status"] = status }));
                    }
                }
            }
        }
        catch (ResponseTooLargeException ex)
        {
            throw new PermanentFailureException("upstream_response_too_large", ex.Message,
                Details(new JsonObject { ["upstream"] = upstream.Name, ["max_response_bytes"] = ex.Limit }));
        }
        catch (Exception ex) when (deadlineBound && ex is not PermanentFailureException and not LeaseLostException
            && (timeout.IsCancellationRequested || time.GetUtcNow() >= deadline))
        {
            outcome = "deadline";
            metrics.Timeouts.Add(1, new KeyValuePair<string, object?>("upstream", upstream.Name));
            LogDeadline(logger, upstream.Name, context.TimeoutSeconds ?? 0, options.RequestTimeout.TotalSeconds);
            throw new PermanentFailureException(OperationErrors.DeadlineExceededCode,
                $"The operation's timeout_seconds ({context.TimeoutSeconds:0.###} s) ran out during the call to upstream '{upstream.Name}', "
                + $"before the upstream's own request timeout ({options.RequestTimeout.TotalSeconds:0.###} s).",
                Details(new JsonObject
                {
                    ["upstream"] = upstream.Name,
                    ["timeout_seconds"] = context.TimeoutSeconds,
                    ["upstream_timeout_seconds"] = options.RequestTimeout.TotalSeconds,
                }));
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is not PermanentFailureException)
        {
            outcome = "timeout";
            metrics.Timeouts.Add(1, new KeyValuePair<string, object?>("upstream", upstream.Name));
            LogTimeout(logger, upstream.Name, options.RequestTimeout.TotalSeconds);
            throw new PermanentFailureException("upstream_timeout",
                $"Upstream '{upstream.Name}' did not answer within its request timeout of {options.RequestTimeout.TotalSeconds:0.###} s.",
                Details(new JsonObject { ["upstream"] = upstream.Name, ["timeout_seconds"] = options.RequestTimeout.TotalSeconds }));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not PermanentFailureException and not LeaseLostException)
        {
            // Not one of the failures above: a defect or a store failure. Its text stays in the log; the operation gets
            // a stable code, and the request is not sent again when that may not be safe.
            LogUnexpected(logger, ex, upstream.Name, method, context.OperationId, sent);
            if (sent && !retrySafe)
            {
                throw new PermanentFailureException(InternalErrorCode,
                    $"The call to upstream '{upstream.Name}' failed unexpectedly after the request may have reached it; a {method} is not sent again. Details are in the server log.",
                    Details(new JsonObject { ["upstream"] = upstream.Name }));
            }
            throw;
        }
        finally
        {
            if (acquired) upstream.Slots.Release();
            if (cancellationToken.IsCancellationRequested && outcome != "deadline") outcome = "cancelled";
            metrics.Duration.Record(time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("upstream", upstream.Name), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    /// <summary>Whether a request that may have reached the upstream may be sent again.</summary>
    private static bool IsRetrySafe(Upstream upstream, string method) => upstream.Options.RetrySafe || Idempotent.Contains(method);

    private static JsonObject Headers(Upstream upstream, HttpResponseMessage response)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in HttpHeaderRules.SelectSafe(response)) headers[name] = upstream.Redactor.Redact(value);
        return headers;
    }

    private static JsonElement Details(JsonObject details) => JsonSerializer.SerializeToElement(details);
}
