using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Longhaul.Tests.Infrastructure;

/// <summary>One server-sent event, with the raw field lines it was built from.</summary>
public sealed record SseEvent(long Id, string Type, JsonElement Data, IReadOnlyList<string> Lines);

/// <summary>
/// Reads an event stream line by line. Comments and <c>retry:</c> hints are recorded. Every read is bounded by a
/// deadline so a broken server fails the test instead of hanging it.
/// </summary>
public sealed class SseClient : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly CancellationTokenSource _deadline;

    private SseClient(HttpResponseMessage response, Stream body, TimeSpan limit)
    {
        _response = response;
        _reader = new StreamReader(body);
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        _deadline.CancelAfter(limit);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Every line read so far, in order.</summary>
    public List<string> Lines { get; } = [];

    public List<string> Comments { get; } = [];

    public List<string> RetryHints { get; } = [];

    public bool Ended { get; private set; }

    /// <summary>Opens the stream and asserts 200 <c>text/event-stream</c>.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient client, string path, string? lastEventId = null, TimeSpan? limit = null)
    {
        var response = await SendAsync(client, path, lastEventId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStreamAsync(Http.Ct);
        return new SseClient(response, body, limit ?? TimeSpan.FromSeconds(20));
    }

    /// <summary>Sends the request and returns as soon as headers arrive (for non-200 answers).</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null) request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Http.Ct);
    }

    public async Task<string?> ReadLineAsync()
    {
        var line = await _reader.ReadLineAsync(_deadline.Token);
        if (line is null) Ended = true;
        else Lines.Add(line);
        return line;
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<SseEvent?> ReadEventAsync()
    {
        var fields = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line is null)
            {
                Assert.Empty(fields); // No half event at the end.
                return null;
            }
            if (line.Length == 0)
            {
                if (fields.Count == 0) continue;
                return Parse(fields);
            }
            if (line.StartsWith(':'))
            {
                Comments.Add(line);
                continue;
            }
            if (line.StartsWith("retry:", StringComparison.Ordinal))
            {
                RetryHints.Add(line);
                continue;
            }
            fields.Add(line);
        }
    }

    /// <summary>Reads events until the server ends the stream.</summary>
    public async Task<List<SseEvent>> ReadToEndAsync()
    {
        var events = new List<SseEvent>();
        while (await ReadEventAsync() is { } e) events.Add(e);
        return events;
    }

    /// <summary>Reads until a comment line arrives; returns it.</summary>
    public async Task<string> ReadUntilCommentAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync();
            Assert.NotNull(line);
            if (line.StartsWith(':')) return line;
        }
    }

    private static SseEvent Parse(List<string> fields)
    {
        var ids = fields.Where(f => f.StartsWith("id:", StringComparison.Ordinal)).ToList();
        var types = fields.Where(f => f.StartsWith("event:", StringComparison.Ordinal)).ToList();
        var data = fields.Where(f => f.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.True(ids.Count == 1 && types.Count == 1 && data.Count == 1 && fields.Count == 3,
            "an event must have exactly one id:, event: and data: line: " + string.Join(" | ", fields));
        var id = long.Parse(ids[0][3..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        var json = JsonDocument.Parse(data[0][5..].Trim()).RootElement.Clone();
        return new SseEvent(id, types[0][6..].Trim(), json, fields);
    }

    public void Dispose()
    {
        _deadline.Dispose();
        _reader.Dispose();
        _response.Dispose();
    }
}
