using System.Globalization;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Uploads;

/// <summary>
/// <c>/v1/uploads</c>: tus 1.0 (core, creation, creation-with-upload, termination, checksum, expiration) and a plain
/// single-request <c>PUT</c>, tenant-scoped like operations. The bytes go through the store, so any API node answers for
/// any upload and any worker reads it.
/// </summary>
internal static class UploadEndpoints
{
    public static async Task OptionsAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers["Tus-Resumable"] = TusProtocol.Version;
        headers["Tus-Version"] = TusProtocol.Version;
        headers["Tus-Extension"] = TusProtocol.Extensions;
        headers["Tus-Checksum-Algorithm"] = TusProtocol.ChecksumAlgorithms;
        headers["Tus-Max-Size"] = Options(context).MaxBytes.ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public static async Task CreateAsync(HttpContext context)
    {
        if (!await TusProtocol.CheckVersionAsync(context).ConfigureAwait(false)) return;
        var request = context.Request;
        if (request.Headers.ContainsKey("Upload-Defer-Length"))
        {
            await UploadProblems.BadHeaderAsync(context, "Upload-Defer-Length", "Deferred lengths are not supported: send Upload-Length.").ConfigureAwait(false);
            return;
        }
        var length = TusProtocol.ReadLength(request, "Upload-Length", out var error);
        if (length is null)
        {
            await UploadProblems.BadHeaderAsync(context, "Upload-Length", error ?? "Upload-Length is required.").ConfigureAwait(false);
            return;
        }
        var withBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (withBody && request.ContentType != TusProtocol.OffsetContentType)
        {
            await UploadProblems.WriteAsync(context, ProblemCodes.UnsupportedMediaType, $"A creation request with data needs Content-Type: {TusProtocol.OffsetContentType}.").ConfigureAwait(false);
            return;
        }
        var upload = await CreateUploadAsync(context, length.Value).ConfigureAwait(false);
        if (upload is null) return;
        var location = Url(context, upload.Id);
        context.Response.Headers.Location = location;
        TusProtocol.WriteExpires(context.Response, upload.ExpiresAt);
        if (withBody)
        {
            var checksum = TusProtocol.ParseChecksum(request, out error);
            if (error is not null)
            {
                await UploadProblems.BadHeaderAsync(context, "Upload-Checksum", error).ConfigureAwait(false);
                return;
            }
            var outcome = await UploadBody.WriteAsync(context, Store(context), upload, 0, checksum, Options(context).Retention).ConfigureAwait(false);
            context.Response.Headers["Upload-Offset"] = outcome.Offset.ToString(CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    public static async Task HeadAsync(HttpContext context, string id)
    {
        if (!await TusProtocol.CheckVersionAsync(context).ConfigureAwait(false)) return;
        var upload = await Store(context).GetUploadAsync(new GetUploadParams(OperationEndpoints.Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store";
        if (await UploadProblems.MissingAsync(context, upload).ConfigureAwait(false)) return;
        var headers = context.Response.Headers;
        headers["Upload-Offset"] = upload!.Offset.ToString(CultureInfo.InvariantCulture);
        headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        if (upload.Metadata is { Length: > 0 } metadata) headers["Upload-Metadata"] = metadata;
        if (!upload.IsComplete) TusProtocol.WriteExpires(context.Response, upload.ExpiresAt);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public static async Task PatchAsync(HttpContext context, string id)
    {
        if (!await TusProtocol.CheckVersionAsync(context).ConfigureAwait(false)) return;
        var request = context.Request;
        if (request.ContentType != TusProtocol.OffsetContentType)
        {
            await UploadProblems.WriteAsync(context, ProblemCodes.UnsupportedMediaType, $"PATCH needs Content-Type: {TusProtocol.OffsetContentType}.").ConfigureAwait(false);
            return;
        }
        var offset = TusProtocol.ReadLength(request, "Upload-Offset", out var error);
        if (offset is null)
        {
            await UploadProblems.BadHeaderAsync(context, "Upload-Offset", error ?? "Upload-Offset is required.").ConfigureAwait(false);
            return;
        }
        var checksum = TusProtocol.ParseChecksum(request, out error);
        if (error is not null)
        {
            await UploadProblems.BadHeaderAsync(context, "Upload-Checksum", error).ConfigureAwait(false);
            return;
        }
        var store = Store(context);
        var upload = await store.GetUploadAsync(new GetUploadParams(OperationEndpoints.Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        if (await UploadProblems.MissingAsync(context, upload).ConfigureAwait(false)) return;
        if (offset != upload!.Offset)
        {
            context.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
            await UploadProblems.WriteAsync(context, ProblemCodes.UploadOffsetMismatch,
                $"Upload-Offset is {offset} but the upload is at {upload.Offset}; continue from {upload.Offset}.").ConfigureAwait(false);
            return;
        }
        if (request.ContentLength is { } bodyLength && offset + bodyLength > upload.Length)
        {
            await UploadProblems.WriteAsync(context, ProblemCodes.UploadTooLarge,
                $"{bodyLength} bytes at offset {offset} would pass the upload's length ({upload.Length}); nothing was stored.").ConfigureAwait(false);
            return;
        }
        var outcome = await UploadBody.WriteAsync(context, store, upload, offset.Value, checksum, Options(context).Retention).ConfigureAwait(false);
        if (outcome.Aborted) return;
        context.Response.Headers["Upload-Offset"] = outcome.Offset.ToString(CultureInfo.InvariantCulture);
        if (outcome.Offset < upload.Length) TusProtocol.WriteExpires(context.Response, upload.ExpiresAt);
        if (outcome.Problem is not null)
        {
            await UploadProblems.WriteAsync(context, outcome.Problem, outcome.Detail!).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static async Task DeleteAsync(HttpContext context, string id)
    {
        if (!await TusProtocol.CheckVersionAsync(context).ConfigureAwait(false)) return;
        if (await Store(context).DeleteUploadAsync(new DeleteUploadParams(OperationEndpoints.Tenant(context), id), context.RequestAborted).ConfigureAwait(false))
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        else
            await UploadProblems.WriteAsync(context, ProblemCodes.UploadNotFound, "No upload with this id exists for this tenant.").ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/uploads/{id}</c>: the upload as JSON (no tus header needed).</summary>
    public static async Task GetAsync(HttpContext context, string id)
    {
        var upload = await Store(context).GetUploadAsync(new GetUploadParams(OperationEndpoints.Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        if (await UploadProblems.MissingAsync(context, upload).ConfigureAwait(false)) return;
        await WriteResourceAsync(context, StatusCodes.Status200OK, upload!).ConfigureAwait(false);
    }

    /// <summary><c>GET /v1/uploads/{id}/content</c>: the bytes stored so far, streamed a chunk at a time.</summary>
    public static async Task ContentAsync(HttpContext context, string id)
    {
        var store = Store(context);
        var upload = await store.GetUploadAsync(new GetUploadParams(OperationEndpoints.Tenant(context), id), context.RequestAborted).ConfigureAwait(false);
        if (await UploadProblems.MissingAsync(context, upload).ConfigureAwait(false)) return;
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = upload!.Offset;
        await using var content = new UploadStream(store, upload.Id, upload.Offset);
        await content.CopyToAsync(context.Response.Body, OperationFileWriter.ChunkBytes, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>PUT /v1/uploads</c>: a whole body in one request (Content-Length required), answered 201 with the upload.</summary>
    public static async Task PutAsync(HttpContext context)
    {
        if (context.Request.ContentLength is not { } length)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.LengthRequired, "PUT /uploads needs a Content-Length; use tus for a body of unknown length.").ConfigureAwait(false);
            return;
        }
        var upload = await CreateUploadAsync(context, length).ConfigureAwait(false);
        if (upload is null) return;
        var store = Store(context);
        var outcome = await UploadBody.WriteAsync(context, store, upload, 0, null, Options(context).Retention).ConfigureAwait(false);
        if (outcome.Aborted) return;
        if (outcome.Problem is not null)
        {
            await ProblemResults.WriteAsync(context, outcome.Problem, outcome.Detail).ConfigureAwait(false);
            return;
        }
        var stored = await store.GetUploadAsync(new GetUploadParams(upload.Tenant, upload.Id), context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.Location = Url(context, upload.Id);
        await WriteResourceAsync(context, StatusCodes.Status201Created, stored!).ConfigureAwait(false);
    }

    /// <summary>Creates the upload after checking its length and metadata; null once a problem is written.</summary>
    private static async Task<UploadRecord?> CreateUploadAsync(HttpContext context, long length)
    {
        var options = Options(context);
        if (length > options.MaxBytes)
        {
            await UploadProblems.WriteAsync(context, ProblemCodes.UploadTooLarge, $"The upload is {length} bytes; this server accepts at most {options.MaxBytes} (Tus-Max-Size).").ConfigureAwait(false);
            return null;
        }
        var metadata = context.Request.Headers["Upload-Metadata"].ToString();
        if (TusProtocol.ParseMetadata(metadata, out var error) is null)
        {
            await UploadProblems.BadHeaderAsync(context, "Upload-Metadata", error!).ConfigureAwait(false);
            return null;
        }
        var store = Store(context);
        var tenant = OperationEndpoints.Tenant(context);
        // An upload reserves its whole length against the tenant's stored bytes when it is created.
        if (!await Admission.TenantAdmission.StorageAllowsAsync(context, tenant, length).ConfigureAwait(false)) return null;
        var id = UploadIds.New(context.RequestServices.GetRequiredService<TimeProvider>());
        await store.CreateUploadAsync(new CreateUploadParams(id, tenant, length, metadata.Length == 0 ? null : metadata, options.Lifetime, options.Retention), context.RequestAborted).ConfigureAwait(false);
        return await store.GetUploadAsync(new GetUploadParams(tenant, id), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task WriteResourceAsync(HttpContext context, int status, UploadRecord upload)
    {
        context.Response.StatusCode = status;
        var resource = new UploadResource
        {
            Id = upload.Id,
            Url = Url(context, upload.Id),
            Length = upload.Length,
            Offset = upload.Offset,
            Complete = upload.IsComplete,
            ExpiresAt = upload.ExpiresAt,
            Metadata = TusProtocol.ParseMetadata(upload.Metadata, out _),
        };
        return JsonResponses.WriteAsync(context, resource, LonghaulJson.Default.UploadResource);
    }

    private static string Url(HttpContext context, string id) => $"{ApiGate.ApiPath(context)}/uploads/{Uri.EscapeDataString(id)}";

    private static IOperationStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IOperationStore>();

    private static UploadOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value;
}
