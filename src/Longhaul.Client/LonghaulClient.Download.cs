using System.Net;
using System.Net.Http.Headers;

namespace Longhaul.Client;

public sealed partial class LonghaulClient
{
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
            && (_http.BaseAddress is null || Uri.Compare(absolute, _http.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0))
            throw new ArgumentException($"'{url}' is not on the server this client talks to ({_http.BaseAddress}).", nameof(url));
        // Relative to the client's BaseAddress, like every other call (a base with a path prefix keeps it).
        var path = absolute is { Scheme: "http" or "https" } ? absolute.ToString() : url.TrimStart('/');
        var origin = destination.CanSeek ? destination.Position : 0;
        long written = 0;
        EntityTagHeaderValue? etag = null;
        var resumes = 0;
        var buffer = new byte[81920];
        while (true)
        {
            var resumeAt = written;
            var ifRange = etag;
            HttpRequestMessage Request()
            {
                var message = new HttpRequestMessage(HttpMethod.Get, path);
                if (resumeAt > 0 && ifRange is not null)
                {
                    message.Headers.Range = new RangeHeaderValue(resumeAt, null);
                    message.Headers.IfRange = new RangeConditionHeaderValue(ifRange);
                }
                return message;
            }
            HttpResponseMessage response;
            try
            {
                // The download resumes by itself (maxResumes): no retries below it.
                response = await SendAsync(Request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, maxRetries: 0).ConfigureAwait(false);
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

}
