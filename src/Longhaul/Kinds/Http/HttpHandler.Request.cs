using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Longhaul.Kinds.Http;

internal sealed partial class HttpHandler
{
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
}
