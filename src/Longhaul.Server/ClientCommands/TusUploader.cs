using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Longhaul.Client;
using Longhaul.Contracts;

namespace Longhaul.Server.ClientCommands;

/// <summary>
/// A tus 1.0 client for <c>/v1/uploads</c>: creates the upload, sends it in pieces of <see cref="PieceBytes"/>, each with a
/// SHA-256 <c>Upload-Checksum</c>, and resumes an earlier run of the same file from the offset the server answers to
/// <c>HEAD</c>. The upload's URL is kept in a state file beside the file (<c>FILE.longhaul-upload</c>) until it is done.
/// </summary>
internal sealed class TusUploader(HttpClient http, LonghaulClientOptions options)
{
    public const int PieceBytes = 8 * 1024 * 1024;

    /// <summary>Uploads <paramref name="path"/> (resuming when a state file names an unfinished upload of it); returns the finished upload.</summary>
    public async Task<UploadResource> UploadAsync(string path, string stateFile, Action<long, long> progress, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        var fingerprint = string.Create(CultureInfo.InvariantCulture, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}");
        string? url = null;
        long offset = 0;
        if (File.Exists(stateFile) && (await File.ReadAllLinesAsync(stateFile, cancellationToken).ConfigureAwait(false)) is [var saved, var print] && print == fingerprint)
        {
            var at = await OffsetAsync(saved, cancellationToken).ConfigureAwait(false);
            if (at is { } found) (url, offset) = (saved, found);
        }
        if (url is null)
        {
            url = await CreateAsync(info, cancellationToken).ConfigureAwait(false);
            await File.WriteAllLinesAsync(stateFile, [url, fingerprint], cancellationToken).ConfigureAwait(false);
        }
        progress(offset, info.Length);
        await using var file = File.OpenRead(path);
        var piece = new byte[(int)Math.Min(PieceBytes, Math.Max(info.Length, 1))];
        while (offset < info.Length)
        {
            file.Seek(offset, SeekOrigin.Begin);
            var length = await file.ReadAtLeastAsync(piece, (int)Math.Min(piece.Length, info.Length - offset), throwOnEndOfStream: true, cancellationToken).ConfigureAwait(false);
            using var patch = Request(HttpMethod.Patch, url);
            patch.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
            patch.Headers.Add("Upload-Checksum", "sha256 " + Convert.ToBase64String(SHA256.HashData(piece.AsSpan(0, length))));
            patch.Content = new ByteArrayContent(piece, 0, length);
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            using var response = await http.SendAsync(patch, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                // Another run moved on (or a piece landed before a lost answer): continue from the server's offset.
                offset = await OffsetAsync(url, cancellationToken).ConfigureAwait(false) ?? throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (response.StatusCode != HttpStatusCode.NoContent) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            offset = long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
            progress(offset, info.Length);
        }
        File.Delete(stateFile);
        using var get = Request(HttpMethod.Get, url);
        using var done = await http.SendAsync(get, cancellationToken).ConfigureAwait(false);
        if (!done.IsSuccessStatusCode) throw await ErrorAsync(done, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(await done.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), LonghaulJson.Default.UploadResource)!;
    }

    private async Task<string> CreateAsync(FileInfo info, CancellationToken cancellationToken)
    {
        using var create = Request(HttpMethod.Post, Path("uploads"));
        create.Headers.Add("Upload-Length", info.Length.ToString(CultureInfo.InvariantCulture));
        create.Headers.Add("Upload-Metadata", "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(info.Name)));
        using var response = await http.SendAsync(create, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.Location!.ToString();
    }

    /// <summary>The stored offset; null when the upload is gone (404, 410), so a new one is created.</summary>
    private async Task<long?> OffsetAsync(string url, CancellationToken cancellationToken)
    {
        using var head = Request(HttpMethod.Head, url);
        using var response = await http.SendAsync(head, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return null;
        if (response.StatusCode != HttpStatusCode.OK) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    private HttpRequestMessage Request(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        if (options.ApiKey is { } key) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private string Path(string relative) => "/" + options.ApiPath.Trim('/') + "/" + relative;

    private static async Task<LonghaulApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        Problem? problem = null;
        try
        {
            if (body.Length > 0) problem = JsonSerializer.Deserialize(body, LonghaulJson.Default.Problem);
        }
        catch (JsonException)
        {
        }
        return new LonghaulApiException(response.StatusCode, problem);
    }
}
