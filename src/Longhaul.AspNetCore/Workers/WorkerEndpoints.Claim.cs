using System.Diagnostics;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    private const int MaxKinds = 100;

    /// <summary>
    /// <c>POST /v1/workers/claim</c>: <c>{"worker", "kinds", "max"?, "wait_seconds"?}</c>. Claims through the store's one
    /// claim (<see cref="IOperationStore.ClaimAsync"/>, filtered by kind and the key's tenant), waiting up to
    /// <c>wait_seconds</c> (capped at <c>Longhaul:Http:LongPollMax</c>, itself below the chain's idle timeout) for work.
    /// </summary>
    private static async Task ClaimAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var services = context.RequestServices;
        var api = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;
        var engine = services.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value;
        var caller = LonghaulCaller.Of(context);
        var worker = request.String("worker", required: true, 200);
        var max = request.Integer("max", 1, api.MaxClaim) ?? 1;
        var waitSeconds = request.Number("wait_seconds", 0, double.MaxValue) ?? 0;
        var tenant = caller?.Tenant ?? (string)context.Items[LonghaulMiddleware.TenantItem]!;
        var kinds = ReadKinds(request, services.GetRequiredService<OperationHandlerRegistry>(), await RegisteredKindNamesAsync(context, tenant).ConfigureAwait(false));
        if (await request.FailedAsync(context).ConfigureAwait(false)) return;
        if (caller?.Kinds is { } allowed && kinds!.FirstOrDefault(k => !allowed.Contains(k, StringComparer.Ordinal)) is { } refused)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.WrongKeyScope, $"This worker key may not claim kind '{refused}' (its kinds: {string.Join(", ", allowed)}).").ConfigureAwait(false);
            return;
        }
        var p = new ClaimParams("remote/" + worker, kinds!, max, engine.LeaseDuration, tenant == ApiKeyRecord.AllTenants ? null : tenant,
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Longhaul.Tenancy.TenantLimitsOptions>>().Value.MaxRunning,
            services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LonghaulEngineOptions>>().Value.KindConcurrencyCaps());
        var wait = TimeSpan.FromSeconds(Math.Min(waitSeconds, api.LongPollMax.TotalSeconds));
        // A waiting claim is a long-poll: it holds one of the tenant's connection slots (an all-tenant key's are tenant '*').
        using var slot = wait > TimeSpan.Zero ? await Admission.TenantAdmission.EnterConnectionAsync(context, tenant).ConfigureAwait(false) : null;
        if (wait > TimeSpan.Zero && slot is null) return;
        var directory = services.GetRequiredService<WorkerDirectory>();
        await directory.SeenAsync(worker!, tenant, caller?.KeyId, kinds!, claimed: true).ConfigureAwait(false);
        // A worker waiting in a long poll is alive: kept seen (at most one write per few seconds) while it waits.
        var claimed = await EndOverdueAsync(context, await ClaimWaitingAsync(context, p, wait, engine.PollInterval,
            () => directory.SeenAsync(worker!, tenant, caller?.KeyId, kinds!, claimed: false)).ConfigureAwait(false)).ConfigureAwait(false);
        var telemetry = services.GetRequiredService<RemoteAttemptTelemetry>();
        if (context.RequestAborted.IsCancellationRequested)
        {
            await HandBackAllAsync(context, claimed).ConfigureAwait(false);
            return;
        }
        var tokens = services.GetRequiredService<LeaseTokens>();
        var issued = new List<(Operation Op, string Token, Activity? Span)>(claimed.Count);
        try
        {
            foreach (var op in claimed)
            {
                // The claim's span (the attempt's span is recorded when it ends, as its child); its context travels in the token.
                var span = LonghaulTracing.StartClaim(op);
                issued.Add((op, await tokens.IssueAsync(op, op.UpdatedAt, telemetry.WarnAt(op), span?.Context, CancellationToken.None).ConfigureAwait(false), span));
            }
            try
            {
                await WriteJsonAsync(context, w => WriteClaimed(w, issued, engine)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The worker went away before it learnt of its leases: give them back at once (no attempt counted)
                // instead of leaving them to expire.
                foreach (var (_, _, span) in issued) span?.SetTag("longhaul.attempt.outcome", "handed_back");
                await HandBackAllAsync(context, claimed).ConfigureAwait(false);
                throw;
            }
            foreach (var op in claimed) telemetry.Claimed(op);
        }
        finally
        {
            foreach (var (_, _, span) in issued) span?.Stop();
        }
    }

    private static IReadOnlyList<string>? ReadKinds(WorkerRequest request, OperationHandlerRegistry registry, IReadOnlySet<string> registered)
    {
        if (request.Element("kinds") is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() is 0 or > MaxKinds)
        {
            request.Errors["kinds"] = [$"is required: an array of 1 to {MaxKinds} remote kind names"];
            return null;
        }
        var kinds = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            if (name is null) request.Errors[$"kinds[{index}]"] = ["must be a string"];
            else if (registry.TryGet(name, out var handler) ? !handler.IsRemote : !registered.Contains(name))
                request.Errors[$"kinds[{index}]"] = [$"'{(name.Length <= 64 ? name : name[..64] + "…")}' is not a remote kind of this server; GET /v1/kinds lists the kinds"];
            else if (!kinds.Contains(name, StringComparer.Ordinal)) kinds.Add(name);
            index++;
        }
        return kinds;
    }

    private static async Task<IReadOnlyList<Operation>> ClaimWaitingAsync(HttpContext context, ClaimParams p, TimeSpan wait, TimeSpan poll, Func<Task> waiting)
    {
        var services = context.RequestServices;
        var store = Store(context);
        var time = services.GetRequiredService<TimeProvider>();
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var until = time.GetUtcNow() + wait;
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = services.GetRequiredService<IStoreNotifier>().Subscribe((kind, _) =>
        {
            if (kind == StoreNotificationKind.WorkAvailable) Volatile.Read(ref signal).TrySetResult();
        });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        while (true)
        {
            var current = Volatile.Read(ref signal);
            // Not the request's token: a claim that commits must be answered (or handed back), never abandoned midway.
            var claimed = await store.ClaimAsync(p, CancellationToken.None).ConfigureAwait(false);
            var left = until - time.GetUtcNow();
            if (claimed.Count > 0 || left <= TimeSpan.Zero || linked.IsCancellationRequested) return claimed;
            try
            {
                await current.Task.WaitAsync(left < poll ? left : poll, time, linked.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Poll again: notifications are a hint, polling the backstop (an API-only node may not receive them).
            }
            catch (OperationCanceledException)
            {
                return [];
            }
            if (current.Task.IsCompleted) Interlocked.CompareExchange(ref signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
            await waiting().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Claimed operations already past their deadline end at once, failed with <c>deadline_exceeded</c> under the new
    /// lease, as the engine ends them when it starts them; the others are returned.
    /// </summary>
    private static async Task<IReadOnlyList<Operation>> EndOverdueAsync(HttpContext context, IReadOnlyList<Operation> claimed)
    {
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!claimed.Any(o => o.DeadlineAt <= now)) return claimed;
        var live = new List<Operation>(claimed.Count);
        var telemetry = context.RequestServices.GetRequiredService<RemoteAttemptTelemetry>();
        foreach (var op in claimed)
        {
            if (op.DeadlineAt > now)
            {
                live.Add(op);
                continue;
            }
            if (!await Store(context).CompleteAsync(new CompleteParams(new LeaseRef(op.Id, op.LeaseEpoch), OperationStatus.Failed, null, OperationErrors.DeadlineExceeded), CancellationToken.None).ConfigureAwait(false))
                continue;
            // As the engine counts an attempt it starts past the deadline: begun, and ended by the deadline at once.
            telemetry.Claimed(op);
            await telemetry.DeadlineEndedAsync(new LeaseToken(op.Id, op.LeaseEpoch, op.Tenant, op.DeadlineAt, op.UpdatedAt), op).ConfigureAwait(false);
        }
        return live;
    }

    private static async Task HandBackAllAsync(HttpContext context, IReadOnlyList<Operation> claimed)
    {
        foreach (var op in claimed)
            await Store(context).HandBackAsync(new HandBackParams(new LeaseRef(op.Id, op.LeaseEpoch)), CancellationToken.None).ConfigureAwait(false);
    }

    private static void WriteClaimed(Utf8JsonWriter w, List<(Operation Op, string Token, Activity? Span)> issued, LonghaulEngineOptions engine)
    {
        w.WriteStartArray("operations");
        foreach (var (op, token, span) in issued)
        {
            w.WriteStartObject();
            w.WriteString("id", op.Id);
            w.WriteString("kind", op.Kind);
            w.WriteString("tenant", op.Tenant);
            w.WriteNumber("attempt", op.Attempt);
            w.WriteNumber("max_attempts", op.MaxAttempts);
            w.WritePropertyName("input");
            op.Input.WriteTo(w);
            w.WritePropertyName("metadata");
            if (op.Metadata is { } m) m.WriteTo(w);
            else w.WriteNullValue();
            w.WritePropertyName("checkpoint");
            if (op.Checkpoint is { } c) c.WriteTo(w);
            else w.WriteNullValue();
            w.WritePropertyName("progress");
            if (op.Progress is { } progress) JsonSerializer.Serialize(w, progress, LonghaulJson.Default.ProgressInfo);
            else w.WriteNullValue();
            WriteTime(w, "created_at", op.CreatedAt);
            WriteTime(w, "deadline_at", op.DeadlineAt);
            w.WriteBoolean("cancel_requested", op.CancelRequested);
            // The claim span's W3C trace context, for the worker's own spans; null when tracing is off.
            if (span is { IdFormat: ActivityIdFormat.W3C }) w.WriteString("traceparent", span.Id);
            else w.WriteNull("traceparent");
            w.WriteStartObject("lease");
            w.WriteString("token", token);
            WriteTime(w, "expires_at", op.LeaseExpiresAt);
            w.WriteNumber("duration_seconds", engine.LeaseDuration.TotalSeconds);
            w.WriteNumber("heartbeat_interval_seconds", engine.HeartbeatInterval.TotalSeconds);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
