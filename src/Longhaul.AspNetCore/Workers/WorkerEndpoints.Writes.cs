using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    private const int MaxHeartbeatLeases = 1000;

    /// <summary>
    /// <c>POST /v1/leases/heartbeat</c>: <c>{"leases": [token, …], "worker"?}</c>. Renews every lease that holds in one
    /// store call (<see cref="IOperationStore.HeartbeatAsync"/>) and says, per lease, whether it held and whether a
    /// cancel was requested. A lease past its operation's deadline is ended here as the engine ends it (failed,
    /// <c>deadline_exceeded</c>) and reported lost. 409 <c>lease_lost</c> when none of the leases held.
    /// </summary>
    private static async Task HeartbeatAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var worker = request.String("worker", required: false, 200);
        if (request.Element("leases") is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() is 0 or > MaxHeartbeatLeases)
            request.Errors["leases"] = [$"is required: an array of 1 to {MaxHeartbeatLeases} lease tokens"];
        if (await request.FailedAsync(context).ConfigureAwait(false)) return;
        var services = context.RequestServices;
        var tokens = services.GetRequiredService<LeaseTokens>();
        var engine = services.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var leases = new List<(string Raw, LeaseToken? Token)>();
        var index = 0;
        foreach (var item in request.Element("leases")!.Value.EnumerateArray())
        {
            var raw = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            var token = await tokens.VerifyAsync(raw, context.RequestAborted).ConfigureAwait(false);
            if (token is null) request.Errors[$"leases[{index}]"] = ["is not a lease token this server issued"];
            leases.Add((raw, token is not null && MayTouch(context, token.Tenant) ? token : null));
            index++;
        }
        if (request.Errors.Count > 0)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.LeaseTokenInvalid, "One or more lease tokens were not issued by this server; nothing was renewed.", request.Errors).ConfigureAwait(false);
            return;
        }
        var store = Store(context);
        var telemetry = services.GetRequiredService<RemoteAttemptTelemetry>();
        var lost = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, token) in leases)
        {
            if (token?.DeadlineAt is not { } deadline || deadline > now || !lost.Add(token.Id)) continue;
            // The engine stops an attempt at its deadline; a remote one is stopped here, under its lease, the same way.
            var op = await store.GetAsync(new GetParams(null, token.Id), CancellationToken.None).ConfigureAwait(false);
            if (await store.CompleteAsync(new CompleteParams(token.Lease, OperationStatus.Failed, null, OperationErrors.DeadlineExceeded), CancellationToken.None).ConfigureAwait(false) && op is not null)
                await telemetry.DeadlineEndedAsync(token, op).ConfigureAwait(false);
        }
        var renew = leases.Where(l => l.Token is not null && !lost.Contains(l.Token.Id)).Select(l => l.Token!.Lease).Distinct().ToList();
        var result = renew.Count == 0
            ? new HeartbeatResult([], [])
            : await store.HeartbeatAsync(new HeartbeatParams("remote/" + (worker ?? "?"), renew, engine.LeaseDuration), CancellationToken.None).ConfigureAwait(false);
        lost.UnionWith(result.Lost);
        var cancels = result.CancelRequested.ToHashSet(StringComparer.Ordinal);
        var held = leases.Where(l => l.Token is not null && !lost.Contains(l.Token.Id)).Select(l => l.Token!.Id).ToList();
        // A lease found lost here expired and was reaped: the reaper recorded its attempt (span and run time, ADR 29).
        foreach (var (_, token) in leases)
        {
            if (token is not null && !lost.Contains(token.Id)) await telemetry.HeartbeatAsync(token).ConfigureAwait(false);
        }
        if (worker is not null)
        {
            var caller = LonghaulCaller.Of(context);
            var tenant = caller?.Tenant ?? (string)context.Items[LonghaulMiddleware.TenantItem]!;
            await services.GetRequiredService<WorkerDirectory>().SeenAsync(worker, tenant, caller?.KeyId, kinds: null, claimed: false).ConfigureAwait(false);
        }
        if (held.Count == 0)
        {
            await LeaseLostAsync(context).ConfigureAwait(false);
            return;
        }
        await WriteJsonAsync(context, w =>
        {
            w.WriteStartArray("leases");
            foreach (var (raw, token) in leases)
            {
                w.WriteStartObject();
                w.WriteString("lease", raw);
                if (token is not null) w.WriteString("id", token.Id);
                var holds = token is not null && !lost.Contains(token.Id);
                w.WriteBoolean("held", holds);
                w.WriteBoolean("cancel_requested", holds && cancels.Contains(token!.Id));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteTime(w, "expires_at", now + engine.LeaseDuration);
            w.WriteNumber("heartbeat_interval_seconds", engine.HeartbeatInterval.TotalSeconds);
        }).ConfigureAwait(false);
    }

    /// <summary><c>POST /v1/leases/progress</c>: <c>{"lease", "progress", "estimated_completion"?}</c>, one fenced write.</summary>
    private static Task ProgressAsync(HttpContext context) => RecordAsync(context, checkpointRequired: false);

    /// <summary><c>POST /v1/leases/checkpoint</c>: <c>{"lease", "checkpoint", "progress"?}</c>, the checkpoint and the progress in one fenced write.</summary>
    private static Task CheckpointAsync(HttpContext context) => RecordAsync(context, checkpointRequired: true);

    private static async Task RecordAsync(HttpContext context, bool checkpointRequired)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var progress = ReadProgress(request, required: !checkpointRequired);
        var checkpoint = request.Element("checkpoint");
        if (checkpointRequired && checkpoint is null) request.Errors["checkpoint"] = ["is required"];
        DateTimeOffset? eta = null;
        if (request.Element("estimated_completion") is { } e)
        {
            if (e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out var parsed)) eta = parsed;
            else request.Errors["estimated_completion"] = ["must be an RFC 3339 timestamp"];
        }
        if (!checkpointRequired && request.Has("checkpoint")) request.Errors["checkpoint"] = ["is not accepted here: use POST /v1/leases/checkpoint"];
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null || await request.FailedAsync(context).ConfigureAwait(false)) return;
        var written = await Store(context).RecordAsync(new RecordParams(lease.Lease, progress, progress is null ? null : eta, checkpoint?.Clone()), CancellationToken.None).ConfigureAwait(false);
        if (written) NoContent(context);
        else await RefusedEventWriteAsync(context, lease, written, 0).ConfigureAwait(false);
    }

    private static ProgressInfo? ReadProgress(WorkerRequest request, bool required)
    {
        if (request.Element("progress") is not { } element)
        {
            if (required) request.Errors["progress"] = ["is required"];
            return null;
        }
        ProgressInfo? progress = null;
        try
        {
            if (element.ValueKind == JsonValueKind.Object) progress = element.Deserialize(LonghaulJson.Default.ProgressInfo);
        }
        catch (JsonException)
        {
            progress = null;
        }
        if (progress is null)
        {
            request.Errors["progress"] = ["must be an object: { percent?, current?, total?, unit?, message? }"];
            return null;
        }
        if (progress.Percent is { } pct && (!double.IsFinite(pct) || pct < 0 || pct > 100)) request.Errors["progress.percent"] = ["must be a number from 0 to 100"];
        if (progress.Current < 0) request.Errors["progress.current"] = ["must not be negative"];
        if (progress.Total < 0) request.Errors["progress.total"] = ["must not be negative"];
        if (progress.Unit?.Length > 64) request.Errors["progress.unit"] = ["must be at most 64 characters"];
        if (progress.Message?.Length > 1000) request.Errors["progress.message"] = ["must be at most 1000 characters"];
        // As the engine does for in-process handlers: a percent from current and total when only those are given.
        return progress.Percent is null && progress.Current is { } c && progress.Total is { } t && t > 0
            ? progress with { Percent = Math.Round(Math.Clamp(100.0 * c / t, 0, 100), 2) }
            : progress;
    }

    /// <summary>
    /// <c>POST /v1/leases/output</c>: <c>{"lease", "chunks": [json, …]}</c>, at most <c>Longhaul:Http:MaxOutputChunks</c>
    /// chunks, each appended by the fenced output write in order. 409 <c>lease_lost</c> when the first is fenced off
    /// (nothing written); a lease lost midway answers 409 too, naming how many were written (<c>event_limit_exceeded</c>
    /// when the tenant's event limit stopped them).
    /// </summary>
    private static async Task OutputAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var max = context.RequestServices.GetRequiredService<IOptions<LonghaulApiOptions>>().Value.MaxOutputChunks;
        if (request.Element("chunks") is not { ValueKind: JsonValueKind.Array } chunks || chunks.GetArrayLength() is 0 || chunks.GetArrayLength() > max)
            request.Errors["chunks"] = [$"is required: an array of 1 to {max} output chunks (Longhaul:Http:MaxOutputChunks)"];
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null || await request.FailedAsync(context).ConfigureAwait(false)) return;
        var store = Store(context);
        var written = 0;
        foreach (var chunk in request.Element("chunks")!.Value.EnumerateArray())
        {
            var result = await store.AppendOutputAsync(new OutputParams(lease.Lease, chunk.Clone()), CancellationToken.None).ConfigureAwait(false);
            if (!result)
            {
                await RefusedEventWriteAsync(context, lease, result, written).ConfigureAwait(false);
                return;
            }
            written++;
        }
        NoContent(context);
    }
}
