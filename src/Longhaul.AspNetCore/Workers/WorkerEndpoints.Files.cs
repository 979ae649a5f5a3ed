using System.Globalization;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    public const string LeaseHeader = "Longhaul-Lease";
    private const int MaxChunks = 1_000_000;

    /// <summary>
    /// <c>PUT /v1/leases/files/{name}/chunks/{index}</c>, the lease in the <c>Longhaul-Lease</c> header and the chunk's
    /// bytes as the body (<c>application/octet-stream</c>): exactly <see cref="OperationFileWriter.ChunkBytes"/> bytes,
    /// except the file's last chunk. The fenced chunk write the engine's file writer makes; sending a chunk again
    /// replaces it (resuming an upload after a broken connection), and chunk 0 starts the file over.
    /// </summary>
    private static async Task FileChunkAsync(HttpContext context, string name, string index)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!OperationFiles.IsValidName(name)) errors["name"] = ["must be 1 to 100 characters of a-z, 0-9, '.', '-' and '_', starting with a letter or digit"];
        if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= MaxChunks) errors["index"] = [$"must be an integer from 0 to {MaxChunks - 1}"];
        var raw = context.Request.Headers[LeaseHeader].ToString();
        if (raw.Length == 0) errors[LeaseHeader] = ["is required: the lease token"];
        if (errors.Count > 0)
        {
            await ProblemResults.ValidationAsync(context, errors).ConfigureAwait(false);
            return;
        }
        var body = await StartRequestParser.ReadBodyAsync(context, OperationFileWriter.ChunkBytes).ConfigureAwait(false);
        if (body is null)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.BodyTooLarge, $"A chunk holds at most {OperationFileWriter.ChunkBytes} bytes.").ConfigureAwait(false);
            return;
        }
        var lease = await VerifyLeaseAsync(context, raw, LeaseHeader).ConfigureAwait(false);
        if (lease is null) return;
        // The tenant's stored bytes: its finished files and uploads, plus this file's size up to the end of this chunk.
        if (!await Admission.TenantAdmission.StorageAllowsAsync(context, lease.Tenant, (long)i * OperationFileWriter.ChunkBytes + body.Length).ConfigureAwait(false)) return;
        var ok = await Store(context).WriteFileChunkAsync(new FileChunkParams(lease.Lease, name, i, body), CancellationToken.None).ConfigureAwait(false);
        if (ok) NoContent(context);
        else await LeaseLostAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /v1/leases/files/{name}/finish</c> <c>{"lease", "chunks", "length", "content_type"?}</c>: the fenced write
    /// that makes the file readable at <c>GET /v1/operations/{id}/files/{name}</c> once chunks 0 to chunks - 1 of this
    /// lease are stored (422 naming <c>chunks</c> when one is missing). Answers 200 <c>{"url"}</c>.
    /// </summary>
    private static async Task FinishFileAsync(HttpContext context, string name)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        if (!OperationFiles.IsValidName(name)) request.Errors["name"] = ["must be 1 to 100 characters of a-z, 0-9, '.', '-' and '_', starting with a letter or digit"];
        var chunks = request.Integer("chunks", 1, MaxChunks);
        if (chunks is null && !request.Errors.ContainsKey("chunks")) request.Errors["chunks"] = ["is required"];
        var length = request.Number("length", 0, (double)MaxChunks * OperationFileWriter.ChunkBytes);
        if (length is null && !request.Errors.ContainsKey("length")) request.Errors["length"] = ["is required"];
        var contentType = request.String("content_type", required: false, 200) ?? "application/octet-stream";
        if (chunks is { } n && length is { } l && (l != Math.Floor(l) || l > (long)n * OperationFileWriter.ChunkBytes || (n > 1 && l <= (long)(n - 1) * OperationFileWriter.ChunkBytes)))
            request.Errors["length"] = [$"does not fit {n} chunk(s) of {OperationFileWriter.ChunkBytes} bytes, all full but the last"];
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null || await request.FailedAsync(context).ConfigureAwait(false)) return;
        bool ok;
        try
        {
            ok = await Store(context).FinishFileAsync(new FinishFileParams(lease.Lease, name, contentType, (long)length!.Value, chunks!.Value), CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            await ProblemResults.ValidationAsync(context, new Dictionary<string, string[]> { ["chunks"] = [$"chunks 0 to {chunks - 1} of this lease are not all stored"] }).ConfigureAwait(false);
            return;
        }
        if (!ok)
        {
            await LeaseLostAsync(context).ConfigureAwait(false);
            return;
        }
        var apiPath = context.RequestServices.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value.ApiPath;
        await WriteJsonAsync(context, w => w.WriteString("url", OperationFiles.Url(lease.Id, name, apiPath))).ConfigureAwait(false);
    }
}
