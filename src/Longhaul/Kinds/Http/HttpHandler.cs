using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Execution;
using Longhaul.Storage;
using Microsoft.Extensions.Logging;

namespace Longhaul.Kinds.Http;

/// <summary>
/// Built-in kind <c>http</c>: one call to a configured upstream, with the upstream's own timeout, safe retries,
/// injected headers, a response cap, and <c>text/event-stream</c> answers forwarded event by event as output.
/// </summary>
internal sealed partial class HttpHandler(UpstreamRegistry upstreams, HttpKindMetrics metrics, TimeProvider time, ILogger<HttpHandler> logger) : IOperationHandler
{
    public const string KindName = "http";

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

    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.ValueKind != JsonValueKind.Object)
        {
            errors["input"] = ["must be an object"];
            return errors;
        }
        foreach (var property in input.EnumerateObject())
        {
            if (property.Name is not ("upstream" or "method" or "path" or "query" or "headers" or "body" or "stream"))
                errors[$"input.{property.Name}"] = ["is not a known field"];
        }
        Upstream? upstream = null;
        if (!input.TryGetProperty("upstream", out var u) || u.ValueKind != JsonValueKind.String)
            errors["input.upstream"] = ["is required and must be a string"];
        else if ((upstream = upstreams.Find(u.GetString()!)) is null)
            errors["input.upstream"] = [$"is not a configured upstream (known: {string.Join(", ", upstreams.Names.Order(StringComparer.Ordinal))})"];

        if (!input.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String)
            errors["input.method"] = ["is required and must be a string"];
        else if (upstream is not null && !upstream.Methods.Contains(m.GetString()!.ToUpperInvariant()))
            errors["input.method"] = [$"is not allowed for this upstream (allowed: {string.Join(", ", upstream.Methods.Order(StringComparer.Ordinal))})"];

        if (!input.TryGetProperty("path", out var p) || p.ValueKind != JsonValueKind.String)
            errors["input.path"] = ["is required and must be a string"];
        else if (PathProblem(p.GetString()!, upstream) is { } problem)
            errors["input.path"] = [problem];

        if (input.TryGetProperty("query", out var q) && q.ValueKind != JsonValueKind.Null)
        {
            if (q.ValueKind != JsonValueKind.Object || q.EnumerateObject().Any(x => x.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)))
                errors["input.query"] = ["must be an object of strings, numbers or booleans"];
        }
        if (input.TryGetProperty("headers", out var h) && h.ValueKind != JsonValueKind.Null)
        {
            if (h.ValueKind != JsonValueKind.Object)
                errors["input.headers"] = ["must be an object of strings"];
            else
            {
                foreach (var header in h.EnumerateObject())
                {
                    if (!HttpHeaderRules.IsToken(header.Name))
                        errors[$"input.headers.{header.Name}"] = ["is not a valid header name"];
                    else if (header.Value.ValueKind != JsonValueKind.String || !HttpHeaderRules.IsValidValue(header.Value.GetString()!))
                        errors[$"input.headers.{header.Name}"] = ["must be a string without line breaks"];
                }
            }
        }
        if (input.TryGetProperty("stream", out var s) && s.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            errors["input.stream"] = ["must be a boolean"];
        return errors.Count == 0 ? null : errors;
    }

    private static string? PathProblem(string path, Upstream? upstream)
    {
        if (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains("://", StringComparison.Ordinal))
            return "must be a path starting with a single '/', not an absolute URL";
        if (path.Any(c => c is '?' or '#' or '\\' || char.IsControl(c) || c == ' '))
            return "must not contain '?', '#', '\\', spaces or control characters (put parameters in input.query)";
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return "is not a valid path";
        }
        if (decoded.Split('/').Any(segment => segment is ".." or ".") || decoded.Contains('\\', StringComparison.Ordinal) || decoded.Contains("//", StringComparison.Ordinal))
            return "must not contain '.' or '..' segments or empty segments, also not percent-encoded";
        if (upstream is not null && !upstream.PathPrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)))
            return $"is outside the upstream's allowed prefixes ({string.Join(", ", upstream.PathPrefixes)})";
        return null;
    }

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
                    response = await upstream.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                }
                catch (HttpRequestException ex) when (!token.IsCancellationRequested)
                {
                    // Connection failures happen before anything was sent: always safe to retry.
                    var notSent = ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError;
                    if (canRetry && (notSent || Idempotent.Contains(method)))
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
                    if (canRetry && (status is 429 or 503 || (Idempotent.Contains(method) && status is 500 or 502 or 504)))
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
                        return isStream
                            ? await ReadStreamAsync(context, upstream, response, forward, token).ConfigureAwait(false)
                            : await ReadBodyAsync(context, upstream, response, method, token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException && !token.IsCancellationRequested)
                    {
                        if (!isStream && canRetry && Idempotent.Contains(method))
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
        finally
        {
            if (acquired) upstream.Slots.Release();
            if (cancellationToken.IsCancellationRequested && outcome != "deadline") outcome = "cancelled";
            metrics.Duration.Record(time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("upstream", upstream.Name), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static HttpRequestMessage BuildRequest(Upstream upstream, string method, Uri uri, JsonElement input)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (input.TryGetProperty("body", out var body) && body.ValueKind != JsonValueKind.Null && body.ValueKind != JsonValueKind.Undefined)
        {
            request.Content = body.ValueKind == JsonValueKind.String
                ? new ByteArrayContent(Encoding.UTF8.GetBytes(body.GetString()!)) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" } } }
                : new ByteArrayContent(Encoding.UTF8.GetBytes(body.GetRawText())) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        }
        if (input.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            var connectionListed = headers.EnumerateObject()
                .Where(h => h.NameEquals("Connection") || string.Equals(h.Name, "Connection", StringComparison.OrdinalIgnoreCase))
                .SelectMany(h => (h.Value.GetString() ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var header in headers.EnumerateObject())
            {
                if (HttpHeaderRules.Dropped.Contains(header.Name) || connectionListed.Contains(header.Name) || upstream.IsInjected(header.Name)) continue;
                Set(request, header.Name, header.Value.GetString()!);
            }
        }
        foreach (var (name, value) in upstream.InjectedHeaders) Set(request, name, value);
        return request;
    }

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        if (HttpHeaderRules.IsContentHeader(name))
        {
            // HttpRequestHeaders.Remove throws on content header names: they live on the content only.
            if (request.Content is null) return; // A content header without a body.
            request.Content.Headers.Remove(name);
            request.Content.Headers.TryAddWithoutValidation(name, value);
            return;
        }
        request.Headers.Remove(name);
        if (request.Headers.TryAddWithoutValidation(name, value)) return;
        if (request.Content is null) return; // A content header without a body.
        request.Content.Headers.Remove(name);
        request.Content.Headers.TryAddWithoutValidation(name, value);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private async Task BackOffAsync(Upstream upstream, int retry, TimeSpan? retryAfter, string reason, CancellationToken cancellationToken)
    {
        var retryOptions = upstream.Options.Retry;
        var delay = retryAfter ?? TimeSpan.FromTicks(Math.Min(upstream.Options.EffectiveRetryMaxDelay.Ticks, retryOptions.BaseDelay.Ticks * (1L << Math.Min(retry, 20))));
        metrics.Retries.Add(1, new KeyValuePair<string, object?>("upstream", upstream.Name), new KeyValuePair<string, object?>("reason", reason));
        LogRetry(logger, upstream.Name, retry + 1, reason, delay.TotalMilliseconds);
        if (delay > TimeSpan.Zero) await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The answer's body: up to <see cref="UpstreamOptions.MaxInlineBytes"/> inline (JSON as JSON, text as text, else base64),
    /// larger bodies streamed into the operation file <c>body</c> (a chunk at a time, never whole in memory) and linked.
    /// </summary>
    private static async Task<JsonObject> ReadBodyAsync(OperationContext context, Upstream upstream, HttpResponseMessage response, string method, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var result = new JsonObject
        {
            ["status"] = status,
            ["headers"] = Headers(upstream, response),
            ["body"] = null,
        };
        if (method != "HEAD")
        {
            var inlineLimit = upstream.Options.MaxInlineBytes;
            await using var capped = new CappedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), upstream.Options.MaxResponseBytes);
            var buffer = new byte[81920];
            using var head = new MemoryStream();
            int read;
            while (head.Length <= inlineLimit && (read = await capped.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) head.Write(buffer, 0, read);
            if (head.Length <= inlineLimit)
            {
                var bytes = upstream.Redactor.Redact(head.GetBuffer().AsSpan(0, (int)head.Length));
                var (body, encoding) = Decode(bytes, response.Content.Headers.ContentType);
                result["body"] = upstream.Redactor.Redact(body);
                if (encoding is not null) result["body_encoding"] = encoding;
            }
            else
            {
                var file = context.CreateFile("body", response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
                var redaction = upstream.Redactor.Stream();
                await file.WriteAsync(redaction.Push(head.GetBuffer().AsSpan(0, (int)head.Length)), cancellationToken).ConfigureAwait(false);
                while ((read = await capped.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    await file.WriteAsync(redaction.Push(buffer.AsSpan(0, read)), cancellationToken).ConfigureAwait(false);
                await file.WriteAsync(redaction.Flush(), cancellationToken).ConfigureAwait(false);
                await file.FinishAsync(cancellationToken).ConfigureAwait(false);
                result["body_url"] = file.Url;
                result["body_bytes"] = file.Length;
                result["body_content_type"] = file.ContentType;
            }
        }
        if (response.IsSuccessStatusCode) return result;
        throw new PermanentFailureException("upstream_status", $"Upstream '{upstream.Name}' answered {status} {response.ReasonPhrase}.", Details(result));
    }

    private static (JsonNode? Body, string? Encoding) Decode(byte[] bytes, MediaTypeHeaderValue? contentType)
    {
        if (bytes.Length == 0) return (null, null);
        var media = contentType?.MediaType ?? "";
        Encoding text;
        try
        {
            text = contentType?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            text = Encoding.UTF8;
        }
        if (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal))
        {
            try
            {
                return (JsonNode.Parse(bytes), null);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep it as text.
            }
        }
        var isText = media.StartsWith("text/", StringComparison.Ordinal) || media.EndsWith("+xml", StringComparison.Ordinal) || media.EndsWith("+json", StringComparison.Ordinal)
            || media is "application/json" or "application/xml" or "application/javascript" or "application/x-www-form-urlencoded" or ""
            || contentType?.CharSet is not null;
        if (isText)
        {
            try
            {
                var decoded = new UTF8Encoding(false, true).GetString(bytes);
                return (JsonValue.Create(ReferenceEquals(text, Encoding.UTF8) ? decoded : text.GetString(bytes)), null);
            }
            catch (DecoderFallbackException)
            {
                if (!ReferenceEquals(text, Encoding.UTF8)) return (JsonValue.Create(text.GetString(bytes)), null);
            }
        }
        return (JsonValue.Create(Convert.ToBase64String(bytes)), "base64");
    }

    private async Task<JsonObject> ReadStreamAsync(OperationContext context, Upstream upstream, HttpResponseMessage response, bool forward, CancellationToken cancellationToken)
    {
        var assembler = new StreamAssembler();
        await using var capped = new CappedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), upstream.Options.MaxResponseBytes);
        using var text = new StreamReader(capped, Encoding.UTF8);
        var reader = new SseReader(text);
        var first = true;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } read)
        {
            var message = upstream.Redactor.IsEmpty ? read : read with { Event = read.Event is { } e ? upstream.Redactor.Redact(e) : null, Data = upstream.Redactor.Redact(read.Data) };
            var (data, delta) = assembler.Add(message);
            if (forward)
            {
                var chunk = new JsonObject
                {
                    ["event"] = message.Event ?? "message",
                    ["data"] = data is { } d ? JsonNode.Parse(d.GetRawText()) : JsonValue.Create(message.Data),
                };
                if (delta is not null) chunk["text"] = delta;
                // The first event also carries the upstream's status and headers (request id, rate limits), so a
                // watcher, and the gateway relaying the stream live, has them before the result exists.
                if (first) chunk["response"] = new JsonObject { ["status"] = (int)response.StatusCode, ["headers"] = Headers(upstream, response) };
                first = false;
                await context.WriteOutputAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
            if (assembler.Error is { } error)
            {
                throw new PermanentFailureException("upstream_stream_error", $"Upstream '{upstream.Name}' sent an error event in its stream.",
                    Details(new JsonObject { ["upstream"] = upstream.Name, ["error"] = JsonNode.Parse(error.GetRawText()), ["text"] = assembler.Text is { } partial ? upstream.Redactor.Redact(partial) : null }));
            }
        }
        LogStreamed(logger, upstream.Name, assembler.Events);
        // Again over the whole text: a secret split across two events is whole here.
        var assembled = assembler.Text is { } t ? upstream.Redactor.Redact(t) : null;
        var result = new JsonObject
        {
            ["status"] = (int)response.StatusCode,
            ["headers"] = Headers(upstream, response),
            ["body"] = null,
            ["format"] = assembler.Format ?? "sse",
            ["model"] = assembler.Model,
            ["text"] = assembled,
            ["usage"] = assembler.Usage,
            ["stop_reason"] = assembler.StopReason,
            ["events"] = assembler.Events,
        };
        if (assembled is not null && Encoding.UTF8.GetByteCount(assembled) > upstream.Options.MaxInlineBytes)
        {
            var file = context.CreateFile("text", "text/plain; charset=utf-8");
            await file.WriteAsync(Encoding.UTF8.GetBytes(assembled), cancellationToken).ConfigureAwait(false);
            await file.FinishAsync(cancellationToken).ConfigureAwait(false);
            result["text"] = null;
            result["text_url"] = file.Url;
            result["text_bytes"] = file.Length;
        }
        return result;
    }

    private static JsonObject Headers(Upstream upstream, HttpResponseMessage response)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in HttpHeaderRules.SelectSafe(response)) headers[name] = upstream.Redactor.Redact(value);
        return headers;
    }

    private static JsonElement Details(JsonObject details) => JsonSerializer.SerializeToElement(details);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream}: retry {Retry} after {Reason}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string upstream, int retry, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream}: no answer within {Seconds} s")]
    private static partial void LogTimeout(ILogger logger, string upstream, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream}: the operation's timeout of {TimeoutSeconds} s ran out before the upstream's request timeout of {UpstreamSeconds} s")]
    private static partial void LogDeadline(ILogger logger, string upstream, double timeoutSeconds, double upstreamSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Upstream {Upstream}: stream ended after {Events} events")]
    private static partial void LogStreamed(ILogger logger, string upstream, int events);
}
