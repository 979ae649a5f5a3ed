using System.Buffers;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// The worker protocol (docs/workers.md, ADR 22): remote workers claim operations of remote kinds and write under their
/// leases over HTTP. Every write goes through the store's fenced writes, the same ones the in-process engine makes
/// (<see cref="IOperationStore.RecordAsync"/>, <see cref="IOperationStore.AppendOutputAsync"/>,
/// <see cref="IOperationStore.CompleteAsync"/>, <see cref="IOperationStore.RetryAsync"/>,
/// <see cref="IOperationStore.HandBackAsync"/>), so a stale lease changes nothing and answers 409 <c>lease_lost</c>.
/// </summary>
internal static partial class WorkerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/workers/claim", ClaimAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Claim);
        api.MapPost("/leases/heartbeat", HeartbeatAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Heartbeat);
        api.MapPost("/leases/progress", ProgressAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Progress);
        api.MapPost("/leases/checkpoint", CheckpointAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Checkpoint);
        api.MapPost("/leases/output", OutputAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Output);
        api.MapPost("/leases/complete", CompleteAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Complete);
        api.MapPost("/leases/fail", FailAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Fail);
        api.MapPost("/leases/cancelled", CancelledAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.LeaseCancelled);
        api.MapPost("/leases/hand-back", HandBackAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.HandBack);
        api.MapPost("/leases/watch", WatchAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.Watch);
        api.MapPut("/leases/files/{name}/chunks/{index}", FileChunkAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.FileChunk);
        api.MapPost("/leases/files/{name}/finish", FinishFileAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.FileFinish);
        api.MapGet("/workers", ListWorkersAsync).WithMetadata(OpenApi.ApiDocs.WorkerList);
    }

    /// <summary>
    /// The verified lease of the body's <c>lease</c> member, or null once the problem is written: 422 when it is
    /// missing, 400 <c>lease_token_invalid</c> when this store's servers did not issue it, 409 <c>lease_lost</c> when it
    /// is another tenant's (a tenant-bound worker key never writes to another tenant's operations).
    /// </summary>
    private static async Task<LeaseToken?> LeaseAsync(HttpContext context, WorkerRequest request, string field = "lease")
    {
        var raw = request.String(field, required: true, LeaseTokens.MaxLength);
        if (raw is null)
        {
            if (!request.Errors.ContainsKey(field)) request.Errors[field] = ["must be a lease token"];
            await request.FailedAsync(context).ConfigureAwait(false);
            return null;
        }
        return await VerifyLeaseAsync(context, raw, field).ConfigureAwait(false);
    }

    /// <summary>The verified lease of <paramref name="raw"/>, or null once the problem (400 or 409) is written, naming <paramref name="field"/>.</summary>
    private static async Task<LeaseToken?> VerifyLeaseAsync(HttpContext context, string raw, string field)
    {
        var token = await context.RequestServices.GetRequiredService<LeaseTokens>().VerifyAsync(raw, context.RequestAborted).ConfigureAwait(false);
        if (token is null)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.LeaseTokenInvalid, "The lease token was not issued by this server (malformed or altered).",
                new Dictionary<string, string[]> { [field] = ["is not a lease token this server issued"] }).ConfigureAwait(false);
            return null;
        }
        if (!MayTouch(context, token.Tenant))
        {
            await LeaseLostAsync(context).ConfigureAwait(false);
            return null;
        }
        return token;
    }

    /// <summary>True when the caller may write to an operation of <paramref name="tenant"/>: its own tenant, or an all-tenant worker key.</summary>
    private static bool MayTouch(HttpContext context, string tenant)
    {
        var caller = LonghaulCaller.Of(context);
        var own = caller?.Tenant ?? (context.Items.TryGetValue(LonghaulMiddleware.TenantItem, out var t) ? t as string : null);
        return own == ApiKeyRecord.AllTenants || string.Equals(own, tenant, StringComparison.Ordinal);
    }

    private static Task LeaseLostAsync(HttpContext context)
        => ProblemResults.WriteAsync(context, ProblemCodes.LeaseLost,
            "This lease no longer holds: the operation was claimed again, finished, cancelled or reaped. Stop working on it; nothing was written.");

    private static IOperationStore Store(HttpContext context) => context.RequestServices.GetRequiredService<IOperationStore>();

    /// <summary>Writes a JSON body built by <paramref name="body"/>, with a Content-Length.</summary>
    private static Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> body, int status = StatusCodes.Status200OK)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonResponses.Json;
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        writer.WritePropertyName(name);
        if (value is { } v) JsonSerializer.Serialize(writer, v, LonghaulJson.Default.DateTimeOffset);
        else writer.WriteNullValue();
    }

    private static void NoContent(HttpContext context) => context.Response.StatusCode = StatusCodes.Status204NoContent;
}
