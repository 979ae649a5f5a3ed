using System.Globalization;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary>
/// <c>GET|HEAD /v1/operations/{id}/files/{name}</c>: an operation file (for example an upstream body too large to
/// inline), streamed from the store a chunk at a time with its Content-Type and Content-Length. One byte range
/// (<c>Range</c>, with <c>If-Range</c> against the file's <c>ETag</c>) lets a client resume a broken download.
/// Tenant-scoped like the operation.
/// </summary>
internal static class FileEndpoint
{
    public static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static async Task GetAsync(HttpContext context, string id, string name)
    {
        var store = context.RequestServices.GetRequiredService<IOperationStore>();
        var tenant = OperationEndpoints.Tenant(context);
        var file = OperationFiles.IsValidName(name)
            ? await store.GetFileAsync(new GetFileParams(tenant, id, name), context.RequestAborted).ConfigureAwait(false)
            : null;
        if (file is null)
        {
            if (await store.GetAsync(new GetParams(tenant, id), context.RequestAborted).ConfigureAwait(false) is null)
            {
                await ProblemResults.NotFoundAsync(context).ConfigureAwait(false);
                return;
            }
            await ProblemResults.WriteAsync(context, ProblemCodes.FileNotFound, $"The operation has no file named '{name}'.").ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        var etag = FileRange.ETag(file);
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = etag;
        response.Headers.LastModified = FileRange.LastModified(file).ToString("R", CultureInfo.InvariantCulture);
        var range = FileRange.Select(context.Request, file, etag);
        if (range.Unsatisfiable)
        {
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{file.Length}");
            await ProblemResults.WriteAsync(context, ProblemCodes.RangeNotSatisfiable, $"The file is {file.Length} bytes long; the requested range lies outside it.").ConfigureAwait(false);
            return;
        }
        if (range.Partial)
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.Start + range.Length - 1}/{file.Length}");
        var status = range.Partial ? 206 : 200;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = status;
            response.ContentType = file.ContentType;
            response.ContentLength = range.Length;
            return;
        }
        await WriteAsync(context, store, file, status, range).ConfigureAwait(false);
    }

    /// <summary>Streams <paramref name="file"/> as the response body; a file deleted half-way aborts the response.</summary>
    public static Task WriteAsync(HttpContext context, IOperationStore store, StoredFile file, int status)
        => WriteAsync(context, store, file, status, FileRange.Whole(file));

    private static async Task WriteAsync(HttpContext context, IOperationStore store, StoredFile file, int status, FileRange range)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = file.ContentType;
        response.ContentLength = range.Length;
        // A range starts in the chunk that holds its first byte (FileRange serves ranges only of files with full
        // chunks; the whole file starts at 0 whatever its chunks).
        var index = (int)(range.Start / OperationFileWriter.ChunkBytes);
        var offset = (int)(range.Start % OperationFileWriter.ChunkBytes);
        var remaining = range.Length;
        for (; remaining > 0; index++)
        {
            if (index >= file.Chunks)
            {
                // The chunks hold fewer bytes than the file's length says: the promised length cannot be kept.
                context.Abort();
                return;
            }
            var chunk = await store.ReadFileChunkAsync(new ReadFileChunkParams(file, index), context.RequestAborted).ConfigureAwait(false);
            if (chunk is null)
            {
                // Deleted (or pruned) while being served: the length promised cannot be kept.
                if (!response.HasStarted)
                {
                    response.Clear();
                    await ProblemResults.WriteAsync(context, ProblemCodes.FileNotFound, "The file was deleted while being read.").ConfigureAwait(false);
                }
                else
                {
                    context.Abort();
                }
                return;
            }
            var take = (int)Math.Min(chunk.Length - offset, remaining);
            if (take <= 0)
            {
                // A chunk shorter than the offset the layout promised: serving on would send the wrong bytes.
                context.Abort();
                return;
            }
            await response.Body.WriteAsync(chunk.AsMemory(offset, take), context.RequestAborted).ConfigureAwait(false);
            remaining -= take;
            offset = 0;
        }
    }
}
