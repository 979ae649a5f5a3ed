using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Longhaul.Client;

public sealed partial class LonghaulClient
{
    /// <summary>
    /// Downloads an operation file (or an export's signed <c>download_url</c>, with <see cref="FileDownloadOptions.SignedLink"/>)
    /// to <paramref name="path"/>, resumable across processes: the bytes go to <c>PATH.part</c> and the file's ETag to
    /// <c>PATH.part.etag</c>, so a call after a killed one continues with <c>Range</c> and <c>If-Range</c> (a file written
    /// anew in between comes whole, and the download starts over). At the end the length (the server's, and
    /// <see cref="FileDownloadOptions.ExpectedBytes"/>) and <see cref="FileDownloadOptions.ExpectedSha256"/> are checked:
    /// a mismatch deletes the partial file and throws <see cref="FileVerificationException"/>; otherwise
    /// <c>PATH.part</c> is renamed to <paramref name="path"/> (atomically, on one file system).
    /// </summary>
    public async Task<FileDownloadResult> DownloadFileAsync(string url, string path, FileDownloadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new FileDownloadOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxResumes);
        var requestPath = RequestPath(url, options.SignedLink);
        if (File.Exists(path) && !options.Overwrite) throw new IOException($"{path} exists.");
        var part = path + ".part";
        var etagFile = part + ".etag";
        var (start, etag) = (0L, (EntityTagHeaderValue?)null);
        if (File.Exists(part) && File.Exists(etagFile)
            && EntityTagHeaderValue.TryParse((await File.ReadAllTextAsync(etagFile, cancellationToken).ConfigureAwait(false)).Trim(), out var saved) && !saved.IsWeak)
            (start, etag) = (new FileInfo(part).Length, saved);

        var stream = new FileStream(part, start > 0 ? FileMode.Open : FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16, useAsync: true);
        DownloadState state;
        await using (stream.ConfigureAwait(false))
        {
            stream.Position = start;
            state = NewState(options, start, etag, e =>
            {
                // Before the first byte of this answer is written: a later call resumes only bytes of this file.
                if (e is null) File.Delete(etagFile);
                else File.WriteAllText(etagFile, e.ToString());
            });
            try
            {
                await DownloadCoreAsync(requestPath, stream, state, cancellationToken).ConfigureAwait(false);
            }
            catch (LonghaulApiException ex) when (ex.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && start > 0)
            {
                // The part is as long as the file (or longer): with a known length the check below judges it; else start over.
                if (options.ExpectedBytes is null)
                {
                    stream.SetLength(0);
                    state = NewState(options, 0, null, state.Headers);
                    await DownloadCoreAsync(requestPath, stream, state, cancellationToken).ConfigureAwait(false);
                }
            }
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            var problem = LengthProblem(stream.Length, state.Total, options.ExpectedBytes);
            stream.Position = 0;
            var sha256 = Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)).ToLowerInvariant();
            problem ??= Sha256Problem(sha256, options.ExpectedSha256);
            if (problem is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                File.Delete(part);
                File.Delete(etagFile);
                throw new FileVerificationException($"{path}: {problem}; the partial file was deleted.");
            }
            var result = new FileDownloadResult(stream.Length, sha256, state.ETag?.ToString() ?? etag?.ToString(), state.ResumedFrom);
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Move(part, path, options.Overwrite);
            File.Delete(etagFile);
            return result;
        }
    }

    /// <summary>
    /// Downloads a file into <paramref name="destination"/> (stdout, say), resuming a broken connection within the call,
    /// and checks the length and SHA-256 as <see cref="DownloadFileAsync(string, string, FileDownloadOptions?, CancellationToken)"/>
    /// does; a mismatch throws <see cref="FileVerificationException"/> (the bytes written stay written).
    /// </summary>
    public async Task<FileDownloadResult> DownloadFileAsync(string url, Stream destination, FileDownloadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxResumes);
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (hash)
        {
            var state = new DownloadState
            {
                SignedLink = options.SignedLink,
                MaxResumes = options.MaxResumes,
                Restarted = () => hash.GetHashAndReset(),
                Wrote = (bytes, written, total) =>
                {
                    hash.AppendData(bytes);
                    options.Progress?.Invoke(written, total);
                },
            };
            await DownloadCoreAsync(RequestPath(url, options.SignedLink), destination, state, cancellationToken).ConfigureAwait(false);
            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            var sha256 = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            if ((LengthProblem(state.Written, state.Total, options.ExpectedBytes) ?? Sha256Problem(sha256, options.ExpectedSha256)) is { } problem)
                throw new FileVerificationException($"The download did not verify: {problem}.");
            return new FileDownloadResult(state.Written, sha256, state.ETag?.ToString(), state.ResumedFrom);
        }
    }

    private static DownloadState NewState(FileDownloadOptions options, long start, EntityTagHeaderValue? etag, Action<EntityTagHeaderValue?>? headers) => new()
    {
        SignedLink = options.SignedLink,
        MaxResumes = options.MaxResumes,
        Written = start,
        ETag = etag,
        Headers = headers,
        Wrote = (_, written, total) => options.Progress?.Invoke(written, total),
    };

    private static string? LengthProblem(long length, long? served, long? expected)
        => expected is { } e && e != length ? $"{length} bytes, but the operation's result says {e}"
            : served is { } s && s != length ? $"{length} bytes, but the server's file has {s}"
            : null;

    private static string? Sha256Problem(string sha256, string? expected)
        => expected is not null && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase)
            ? $"SHA-256 {sha256}, but the operation's result says {expected}"
            : null;
}
