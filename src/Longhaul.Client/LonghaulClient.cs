using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>A thin client for the Longhaul HTTP API v1. Give it an <see cref="HttpClient"/> whose BaseAddress is the server.</summary>
public sealed partial class LonghaulClient(HttpClient http, string? apiKey = null)
{
    /// <summary>Starts an operation. With an idempotency key, a retry returns the same operation.</summary>
    public async Task<OperationResource> StartAsync(StartOperationRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/operations")
        {
            Content = JsonContent.Create(request, LonghaulJson.Default.StartOperationRequest),
        };
        if (idempotencyKey is not null) message.Headers.Add("Idempotency-Key", idempotencyKey);
        return await SendForResourceAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the operation <paramref name="id"/>; throws <see cref="LonghaulApiException"/> (404 <c>operation_not_found</c>) when this API key's tenant has none.</summary>
    public Task<OperationResource> GetAsync(string id, CancellationToken cancellationToken = default)
        => SendForResourceAsync(new HttpRequestMessage(HttpMethod.Get, $"v1/operations/{Uri.EscapeDataString(id)}"), cancellationToken);

    /// <summary>Long-polls until the operation is done or <paramref name="timeout"/> passes (the server caps it).</summary>
    public Task<OperationResource> WaitAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
        => SendForResourceAsync(new HttpRequestMessage(HttpMethod.Get,
            $"v1/operations/{Uri.EscapeDataString(id)}/wait?timeout={timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}"), cancellationToken);

    /// <summary>Long-polls repeatedly until the operation is done.</summary>
    public async Task<OperationResource> WaitUntilDoneAsync(string id, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var op = await WaitAsync(id, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (op.Done) return op;
        }
    }

    /// <summary>Asks the operation to stop: the resource comes back <c>cancelled</c>, or with <c>cancel_requested</c> while a running handler is stopping; 409 <c>operation_terminal</c> when it already finished.</summary>
    public Task<OperationResource> CancelAsync(string id, CancellationToken cancellationToken = default)
        => SendForResourceAsync(new HttpRequestMessage(HttpMethod.Post, $"v1/operations/{Uri.EscapeDataString(id)}/cancel"), cancellationToken);

    /// <summary>Forgets a finished operation with its events and files; 409 <c>operation_not_terminal</c> while it is not done.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, $"v1/operations/{Uri.EscapeDataString(id)}");
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of this tenant's operations, newest first, optionally filtered; pass <see cref="OperationList.NextPageToken"/> with the same filters for the next.</summary>
    public async Task<OperationList> ListAsync(OperationStatus? status = null, string? kind = null, int? pageSize = null, string? pageToken = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (status is { } s) query.Add("status=" + s.ToWire());
        if (kind is not null) query.Add("kind=" + Uri.EscapeDataString(kind));
        if (pageSize is { } n) query.Add("page_size=" + n.ToString(CultureInfo.InvariantCulture));
        if (pageToken is not null) query.Add("page_token=" + Uri.EscapeDataString(pageToken));
        using var message = new HttpRequestMessage(HttpMethod.Get, "v1/operations" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(LonghaulJson.Default.OperationList, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Streams the operation's events, from <paramref name="afterEventId"/> when given (else from a snapshot), until
    /// the <c>done</c> event. Reconnecting with the last id seen continues without gap or repeat.
    /// </summary>
    public async IAsyncEnumerable<ServerSentEvent> StreamEventsAsync(string id, long? afterEventId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"v1/operations/{Uri.EscapeDataString(id)}/events");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (afterEventId is { } after) message.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
        using var response = await SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent) yield break;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        long? eventId = null;
        string? type = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (type is not null)
                {
                    yield return new ServerSentEvent(eventId, type, data.ToString());
                    if (type == EventTypes.Done) yield break;
                }
                eventId = null;
                type = null;
                data.Clear();
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                if (data.Length > 0) data.Append('\n');
                data.Append(line.AsSpan(6));
            }
        }
    }

    /// <summary>
    /// Downloads an operation file (a result's link such as <c>body_url</c>, or
    /// <c>/v1/operations/{id}/files/{name}</c>) into <paramref name="destination"/> and returns the bytes written.
    /// A connection that breaks part-way is resumed where it stopped (<c>Range</c> with <c>If-Range</c>), up to
    /// <paramref name="maxResumes"/> times; should the file have been written anew in between, the server sends it
    /// whole and the download starts over, which needs a seekable <paramref name="destination"/>.
    /// </summary>
    public async Task<long> DownloadFileAsync(string url, Stream destination, int maxResumes = 5, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(maxResumes);
        // The API key goes with the request: an absolute URL must be this server's.
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            && (http.BaseAddress is null || Uri.Compare(absolute, http.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0))
            throw new ArgumentException($"'{url}' is not on the server this client talks to ({http.BaseAddress}).", nameof(url));
        // Relative to the client's BaseAddress, like every other call (a base with a path prefix keeps it).
        var path = absolute is { Scheme: "http" or "https" } ? absolute.ToString() : url.TrimStart('/');
        var origin = destination.CanSeek ? destination.Position : 0;
        long written = 0;
        EntityTagHeaderValue? etag = null;
        var resumes = 0;
        var buffer = new byte[81920];
        while (true)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, path);
            if (written > 0 && etag is not null)
            {
                message.Headers.Range = new RangeHeaderValue(written, null);
                message.Headers.IfRange = new RangeConditionHeaderValue(etag);
            }
            HttpResponseMessage response;
            try
            {
                response = await SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested && resumes < maxResumes)
            {
                // The connection broke before the headers arrived (a reset can discard them): a GET is safe to repeat.
                resumes++;
                continue;
            }
            using var _ = response;
            if (response.StatusCode != HttpStatusCode.PartialContent && written > 0)
            {
                // The whole file again: it changed since the first response, or the server ignored the range.
                if (!destination.CanSeek)
                    throw new IOException("The file changed while its download was being resumed, and the destination stream cannot be rewound.");
                destination.Position = origin;
                destination.SetLength(origin);
                written = 0;
            }
            else if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From != written)
            {
                throw new IOException($"The server resumed the download at byte {response.Content.Headers.ContentRange?.From}, not at {written}.");
            }
            etag = response.Headers.ETag is { IsWeak: false } strong ? strong : null;
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && resumes < maxResumes)
                {
                    // The connection broke mid-body (HttpClient reports a body shorter than its Content-Length this
                    // way). Only reads are retried: a failed write to the destination is the caller's to see.
                    resumes++;
                    break;
                }
                if (read == 0) return written;
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                written += read;
            }
        }
    }

    private async Task<OperationResource> SendForResourceAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using (message)
        {
            using var response = await SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            return (await response.Content.ReadFromJsonAsync(LonghaulJson.Default.OperationResource, cancellationToken).ConfigureAwait(false))!;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (apiKey is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var response = await http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode < 400) return response;
        using (response)
        {
            Problem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync(LonghaulJson.Default.Problem, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                // Not a problem document.
            }
            throw new LonghaulApiException(response.StatusCode, problem);
        }
    }
}
