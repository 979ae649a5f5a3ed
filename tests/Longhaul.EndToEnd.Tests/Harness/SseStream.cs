using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>One Server-Sent Event as it came over the wire.</summary>
internal sealed record SseEvent(long Id, string Type, string Data)
{
    public JsonNode? Json => JsonNode.Parse(Data);

    /// <summary><c>progress.current</c> of a <c>progress</c> event; null for other events.</summary>
    public long? ProgressCurrent => Type == "progress" ? Json?["progress"]?["current"]?.GetValue<long>() : null;

    public override string ToString() => $"{Id} {Type} {Data}";
}

/// <summary>
/// A minimal, strict SSE reader over <see cref="HttpClient"/> (the wire format of the spec, not the Longhaul client
/// library): <c>id:</c>, <c>event:</c>, <c>data:</c> fields, comments and <c>retry:</c> skipped.
/// </summary>
internal sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    /// <summary>Every event read so far, in order.</summary>
    public List<SseEvent> Received { get; } = [];

    /// <summary>True once the server ended the stream (or the connection died).</summary>
    public bool Ended { get; private set; }

    /// <summary>Opens <c>GET {path}</c>; with <paramref name="lastEventId"/>, sends it as <c>Last-Event-ID</c>. Asserts 200 <c>text/event-stream</c>.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient http, string path, long? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id) request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} {response.Content.Headers.ContentType}: {body}");
        }
        return new SseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>The next event, or null when the stream ended. Fails when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<SseEvent?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long? id = null;
        string? type = null;
        var data = new StringBuilder();
        var hasData = false;
        while (!Ended)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No event within {timeout.TotalSeconds} s; received so far:\n{string.Join('\n', Received)}");
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException)
            {
                line = null; // The server went away (e.g. SIGKILL): the stream ends here.
            }
            if (line is null)
            {
                Ended = true;
                break;
            }
            if (line.Length == 0)
            {
                if (!hasData) continue;
                if (id is null || type is null) throw new InvalidOperationException($"Event without id or type: data {data}");
                var e = new SseEvent(id.Value, type, data.ToString());
                Received.Add(e);
                return e;
            }
            if (line.StartsWith(':')) continue;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' ')) value = value[1..];
            switch (field)
            {
                case "id":
                    id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData) data.Append('\n');
                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
        return null;
    }

    /// <summary>Reads until <paramref name="stop"/> matches an event (returned), failing if the stream ends first.</summary>
    public async Task<SseEvent> ReadUntilAsync(Func<SseEvent, bool> stop, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var left = timeout - (DateTimeOffset.UtcNow - started);
            if (left <= TimeSpan.Zero) left = TimeSpan.FromMilliseconds(1);
            var e = await ReadAsync(left, cancellationToken)
                ?? throw new InvalidOperationException($"The stream ended before the awaited event; received:\n{string.Join('\n', Received)}");
            if (stop(e)) return e;
        }
    }

    /// <summary>Reads until the server ends the stream; returns the events read meanwhile.</summary>
    public async Task<IReadOnlyList<SseEvent>> ReadToEndAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var from = Received.Count;
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var left = timeout - (DateTimeOffset.UtcNow - started);
            if (left <= TimeSpan.Zero) left = TimeSpan.FromMilliseconds(1);
            if (await ReadAsync(left, cancellationToken) is null) return Received.GetRange(from, Received.Count - from);
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
