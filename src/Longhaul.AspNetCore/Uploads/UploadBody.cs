using System.Buffers;
using System.Security.Cryptography;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Longhaul.AspNetCore.Uploads;

/// <summary>
/// Streams a request body into an upload at an offset, <see cref="OperationFileWriter.ChunkBytes"/> at a time. Without
/// a checksum each chunk moves the upload's offset as it is stored, so a body cut off half-way keeps what arrived (the
/// client resumes from the offset HEAD answers). With one, chunks are staged and become part of the upload only when the
/// whole body matches; otherwise none of it does.
/// </summary>
internal static class UploadBody
{
    /// <summary>The outcome: the new offset, or a problem code (nothing more written).</summary>
    public sealed record Outcome(long Offset, string? Problem, string? Detail, bool Aborted);

    public static async Task<Outcome> WriteAsync(HttpContext context, IOperationStore store, UploadRecord upload, long offset,
        (HashAlgorithmName Algorithm, byte[] Digest)? checksum, TimeSpan retention)
    {
        // The upload's own length is the limit here; the server's general body limit is for JSON requests.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        using var hash = checksum is { } c ? IncrementalHash.CreateHash(c.Algorithm) : null;
        var advance = hash is null;
        var buffer = ArrayPool<byte>.Shared.Rent(OperationFileWriter.ChunkBytes);
        var start = offset;
        var filled = 0;
        var aborted = false;
        string? problem = null;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await context.Request.Body.ReadAsync(buffer.AsMemory(filled, OperationFileWriter.ChunkBytes - filled), context.RequestAborted).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
                {
                    aborted = true;
                    break;
                }
                if (read == 0) break;
                if (start + filled + read > upload.Length)
                {
                    problem = ProblemCodes.UploadTooLarge;
                    break;
                }
                hash?.AppendData(buffer, filled, read);
                filled += read;
                if (filled < OperationFileWriter.ChunkBytes) continue;
                if (!await StoreAsync(store, upload, start, buffer, filled, advance, retention).ConfigureAwait(false))
                {
                    problem = ProblemCodes.UploadOffsetMismatch;
                    filled = 0;
                    break;
                }
                start += filled;
                filled = 0;
            }
            // What arrived before a cut or a refusal still counts when every chunk counts as it is stored.
            if (filled > 0 && (advance || (problem is null && !aborted)))
            {
                if (await StoreAsync(store, upload, start, buffer, filled, advance, retention).ConfigureAwait(false)) start += filled;
                else problem ??= ProblemCodes.UploadOffsetMismatch;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (advance) return Counted(context, upload, offset, new Outcome(start, problem, Detail(problem, upload), aborted));
        var matches = problem is null && !aborted && hash!.GetHashAndReset().AsSpan().SequenceEqual(checksum!.Value.Digest);
        // CancellationToken.None: a staged body is committed or discarded even when the client has gone.
        var committed = await store.CommitUploadAsync(new CommitUploadParams(upload.Tenant, upload.Id, offset, matches ? start : offset, retention), CancellationToken.None).ConfigureAwait(false);
        if (matches && committed) return Counted(context, upload, offset, new Outcome(start, null, null, aborted));
        if (problem is null && !aborted) problem = committed ? ProblemCodes.ChecksumMismatch : ProblemCodes.UploadOffsetMismatch;
        return new Outcome(offset, problem, Detail(problem, upload), aborted);
    }

    /// <summary>
    /// Counts the bytes this request made part of the upload (stored and moved its offset; staged bytes whose checksum failed
    /// are not) on the meter <c>Longhaul.Import</c>, and the upload as completed when they reached its length.
    /// </summary>
    private static Outcome Counted(HttpContext context, UploadRecord upload, long from, Outcome outcome)
    {
        if (outcome.Offset > from && context.RequestServices.GetService(typeof(ImportMetrics)) is ImportMetrics metrics)
            metrics.Received(context.Request.Method, outcome.Offset - from, outcome.Offset == upload.Length);
        return outcome;
    }

    private static async Task<bool> StoreAsync(IOperationStore store, UploadRecord upload, long start, byte[] buffer, int count, bool advance, TimeSpan retention)
        => await store.WriteUploadChunkAsync(new UploadChunkParams(upload.Tenant, upload.Id, start, buffer.AsMemory(0, count), advance, retention), CancellationToken.None).ConfigureAwait(false) is not null;

    private static string? Detail(string? problem, UploadRecord upload) => problem switch
    {
        ProblemCodes.UploadTooLarge => $"The body runs past the upload's length ({upload.Length} bytes); the bytes before that point were kept unless a checksum was sent.",
        ProblemCodes.UploadOffsetMismatch => "Another request moved the upload's offset (or the upload expired); ask HEAD for the offset and continue from there.",
        ProblemCodes.ChecksumMismatch => "The body does not match Upload-Checksum; none of it was stored. Send it again.",
        _ => null,
    };
}
