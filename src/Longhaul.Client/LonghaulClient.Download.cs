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
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(maxResumes);
        var state = new DownloadState { MaxResumes = maxResumes };
        await DownloadCoreAsync(RequestPath(url, signedLink: false), destination, state, cancellationToken).ConfigureAwait(false);
        return state.Written;
    }

    /// <summary>
    /// The request path of <paramref name="url"/>: relative to the client's <c>BaseAddress</c> like every other call (a
    /// base with a path prefix keeps it). The API key goes with an ordinary file request, so an absolute URL must be
    /// this server's; a signed link is sent without the key and may be on another host (a public base URL).
    /// </summary>
    private string RequestPath(string url, bool signedLink)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            if (!signedLink && (_http.BaseAddress is null || Uri.Compare(absolute, _http.BaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0))
                throw new ArgumentException($"'{url}' is not on the server this client talks to ({_http.BaseAddress}).", nameof(url));
            return absolute.ToString();
        }
        return url.TrimStart('/');
    }

    /// <summary>
    /// The one download loop: GETs <paramref name="path"/> into <paramref name="destination"/>, continuing after
    /// <see cref="DownloadState.Written"/> bytes (<c>Range</c> with <c>If-Range</c> against <see cref="DownloadState.ETag"/>)
    /// and resuming by itself after a broken connection; a whole file in answer to a range (a file written anew) rewinds
    /// the destination to where the download began.
    /// </summary>
    private async Task DownloadCoreAsync(string path, Stream destination, DownloadState state, CancellationToken cancellationToken)
    {
        var origin = destination.CanSeek ? destination.Position - state.Written : 0;
        var resumes = 0;
        var buffer = new byte[81920];
        while (true)
        {
            var resumeAt = state.Written;
            var ifRange = state.ETag;
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
                // The download resumes by itself (MaxResumes): no retries below it.
                response = await SendAsync(Request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, maxRetries: 0, authorize: !state.SignedLink).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (!cancellationToken.IsCancellationRequested && resumes < state.MaxResumes)
            {
                // The connection broke before the headers arrived (a reset can discard them): a GET is safe to repeat.
                resumes++;
                continue;
            }
            using var _ = response;
            var partial = response.StatusCode == HttpStatusCode.PartialContent;
            if (!partial && state.Written > 0)
            {
                // The whole file again: it changed since the first response, or the server ignored the range.
                if (!destination.CanSeek)
                    throw new IOException("The file changed while its download was being resumed, and the destination stream cannot be rewound.");
                destination.Position = origin;
                destination.SetLength(origin);
                state.Written = 0;
                state.Restarted?.Invoke();
            }
            else if (partial && response.Content.Headers.ContentRange?.From != state.Written)
            {
                throw new IOException($"The server resumed the download at byte {response.Content.Headers.ContentRange?.From}, not at {state.Written}.");
            }
            if (partial) state.ResumedFrom ??= state.Written;
            state.Total = partial ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
            state.ETag = response.Headers.ETag is { IsWeak: false } strong ? strong : null;
            state.Headers?.Invoke(state.ETag);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && resumes < state.MaxResumes)
                {
                    // The connection broke mid-body (HttpClient reports a body shorter than its Content-Length this
                    // way). Only reads are retried: a failed write to the destination is the caller's to see.
                    resumes++;
                    break;
                }
                if (read == 0) return;
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                state.Written += read;
                state.Wrote?.Invoke(buffer.AsSpan(0, read), state.Written, state.Total);
            }
        }
    }
}
