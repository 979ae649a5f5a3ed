using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary>
/// <c>GET /v1/operations/{id}/files/{name}</c>: an operation file (for example an upstream body too large to inline),
/// streamed from the store a chunk at a time with its Content-Type and Content-Length. Tenant-scoped like the operation.
/// </summary>
internal static class FileEndpoint
{
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
            await ProblemResults.WriteAsync(context, 404, ProblemCodes.FileNotFound, "File not found",
                $"The operation has no file named '{name}'.").ConfigureAwait(false);
            return;
        }
        await WriteAsync(context, store, file, 200).ConfigureAwait(false);
    }

    /// <summary>Streams <paramref name="file"/> as the response body; a file deleted half-way aborts the response.</summary>
    public static async Task WriteAsync(HttpContext context, IOperationStore store, StoredFile file, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = file.ContentType;
        response.ContentLength = file.Length;
        for (var i = 0; i < file.Chunks; i++)
        {
            var chunk = await store.ReadFileChunkAsync(new ReadFileChunkParams(file, i), context.RequestAborted).ConfigureAwait(false);
            if (chunk is null)
            {
                // Deleted (or pruned) while being served: the length promised cannot be kept.
                if (!response.HasStarted)
                {
                    response.Clear();
                    await ProblemResults.WriteAsync(context, 404, ProblemCodes.FileNotFound, "File not found", "The file was deleted while being read.").ConfigureAwait(false);
                }
                else
                {
                    context.Abort();
                }
                return;
            }
            await response.Body.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
