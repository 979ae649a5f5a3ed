using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Events;
using Longhaul.Execution;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

internal static partial class WorkerEndpoints
{
    /// <summary><c>POST /v1/leases/complete</c>: <c>{"lease", "result"?}</c>: succeeded, by the fenced final-state write.</summary>
    private static async Task CompleteAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null) return;
        var result = request.Element("result")?.Clone();
        var ok = await Store(context).CompleteAsync(new CompleteParams(lease.Lease, OperationStatus.Succeeded, result, null), CancellationToken.None).ConfigureAwait(false);
        if (ok) await MeterAsync(context, lease, "succeeded", null, (metrics, op, now) => metrics.Finished(op, OperationStatus.Succeeded, null, now)).ConfigureAwait(false);
        await FinishedAsync(context, lease, ok).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /v1/leases/fail</c>: <c>{"lease", "code", "message", "details"?, "retryable"?}</c>. Retryable with attempts
    /// left: back to pending after the kind's backoff (the engine's retry write and delay); otherwise failed.
    /// </summary>
    private static async Task FailAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var code = request.String("code", required: true, 64);
        if (code is not null && !code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            request.Errors["code"] = ["must be 1 to 64 characters of a-z, 0-9 and '_'"];
        var message = request.String("message", required: true, 2000);
        var details = request.Element("details");
        if (details is { ValueKind: not JsonValueKind.Object }) request.Errors["details"] = ["must be an object"];
        var retryable = request.Boolean("retryable") ?? false;
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null || await request.FailedAsync(context).ConfigureAwait(false)) return;
        var error = new OperationError { Code = code!, Message = message!, Details = details?.Clone() };
        var store = Store(context);
        var op = await store.GetAsync(new GetParams(null, lease.Id), CancellationToken.None).ConfigureAwait(false);
        if (op is null || op.LeaseEpoch != lease.Epoch || op.Status != OperationStatus.Running)
        {
            await LeaseLostAsync(context).ConfigureAwait(false);
            return;
        }
        if (retryable && op.Attempt < op.MaxAttempts)
        {
            var services = context.RequestServices;
            var delay = services.GetRequiredService<KindSettingsCatalog>().For(op.Kind)
                .RetryDelay(op.Attempt, services.GetRequiredService<IRetryPolicy>(), services.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value);
            var retried = await store.RetryAsync(new RetryParams(lease.Lease, error, delay), CancellationToken.None).ConfigureAwait(false);
            if (!retried)
            {
                await LeaseLostAsync(context).ConfigureAwait(false);
                return;
            }
            services.GetRequiredService<LonghaulMetrics>().Retried(op.Kind);
            await services.GetRequiredService<RemoteAttemptTelemetry>().EndedAsync(lease, op, "retry", error.Code).ConfigureAwait(false);
            var retryAt = services.GetRequiredService<TimeProvider>().GetUtcNow() + delay;
            await WriteJsonAsync(context, w =>
            {
                w.WriteString("outcome", "retry");
                WriteTime(w, "retry_at", retryAt);
            }).ConfigureAwait(false);
            return;
        }
        var ok = await store.CompleteAsync(new CompleteParams(lease.Lease, OperationStatus.Failed, null, error), CancellationToken.None).ConfigureAwait(false);
        if (!ok)
        {
            await LeaseLostAsync(context).ConfigureAwait(false);
            return;
        }
        context.RequestServices.GetRequiredService<LonghaulMetrics>().Finished(op, OperationStatus.Failed, error.Code, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        await context.RequestServices.GetRequiredService<RemoteAttemptTelemetry>().EndedAsync(lease, op, "failed", error.Code).ConfigureAwait(false);
        await WriteJsonAsync(context, w => w.WriteString("outcome", "failed")).ConfigureAwait(false);
    }

    /// <summary><c>POST /v1/leases/cancelled</c>: <c>{"lease"}</c>: the worker stopped after a requested cancel; cancelled, as the engine records it.</summary>
    private static async Task CancelledAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null) return;
        var op = await Store(context).GetAsync(new GetParams(null, lease.Id), CancellationToken.None).ConfigureAwait(false);
        if (op is null || op.LeaseEpoch != lease.Epoch || op.Status != OperationStatus.Running)
        {
            await LeaseLostAsync(context).ConfigureAwait(false);
            return;
        }
        if (!op.CancelRequested)
        {
            await ProblemResults.ValidationAsync(context, new Dictionary<string, string[]> { ["lease"] = ["no cancel was requested for this operation; finish it with complete or fail"] }).ConfigureAwait(false);
            return;
        }
        var ok = await Store(context).CompleteAsync(new CompleteParams(lease.Lease, OperationStatus.Cancelled, null, OperationErrors.Cancelled), CancellationToken.None).ConfigureAwait(false);
        if (ok)
        {
            context.RequestServices.GetRequiredService<LonghaulMetrics>().Finished(op, OperationStatus.Cancelled, OperationErrors.CancelledCode, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
            await context.RequestServices.GetRequiredService<RemoteAttemptTelemetry>().EndedAsync(lease, op, "cancelled", OperationErrors.CancelledCode).ConfigureAwait(false);
        }
        await FinishedAsync(context, lease, ok).ConfigureAwait(false);
    }

    /// <summary><c>POST /v1/leases/hand-back</c>: <c>{"lease"}</c>: the worker is shutting down; pending again at once, the attempt not counted.</summary>
    private static async Task HandBackAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null) return;
        var ok = await Store(context).HandBackAsync(new HandBackParams(lease.Lease), CancellationToken.None).ConfigureAwait(false);
        if (ok) await MeterAsync(context, lease, "handed_back", null, (metrics, op, _) => metrics.HandedBack(op.Kind)).ConfigureAwait(false);
        await FinishedAsync(context, lease, ok).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /v1/leases/watch</c>: <c>{"lease", "wait_seconds"?}</c>: a long-poll that answers as soon as a cancel is
    /// requested or the lease stops holding, or after <c>wait_seconds</c> (capped at <c>LongPollMax</c>):
    /// <c>{"held", "cancel_requested"}</c>. It writes nothing: the faster cancel signal beside the heartbeat.
    /// </summary>
    private static async Task WatchAsync(HttpContext context)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var services = context.RequestServices;
        var cap = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value.LongPollMax;
        var waitSeconds = request.Number("wait_seconds", 0, double.MaxValue) ?? cap.TotalSeconds;
        var lease = await LeaseAsync(context, request).ConfigureAwait(false);
        if (lease is null || await request.FailedAsync(context).ConfigureAwait(false)) return;
        // A waiting watch is a long-poll: it holds one of the caller's connection slots, as a waiting claim does.
        var tenant = LonghaulCaller.Of(context)?.Tenant ?? (string)context.Items[LonghaulMiddleware.TenantItem]!;
        using var slot = waitSeconds > 0 ? await Admission.TenantAdmission.EnterConnectionAsync(context, tenant).ConfigureAwait(false) : null;
        if (waitSeconds > 0 && slot is null) return;
        var time = services.GetRequiredService<TimeProvider>();
        var signals = services.GetRequiredService<OperationSignals>();
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var until = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(waitSeconds, cap.TotalSeconds));
        var poll = services.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value.PollInterval;
        while (true)
        {
            var changed = signals.Watch(lease.Id);
            var op = await Store(context).GetAsync(new GetParams(null, lease.Id), context.RequestAborted).ConfigureAwait(false);
            var held = op is not null && op.LeaseEpoch == lease.Epoch && op.Status == OperationStatus.Running;
            var cancel = held && op!.CancelRequested;
            var left = until - time.GetUtcNow();
            if (!held || cancel || left <= TimeSpan.Zero || linked.IsCancellationRequested)
            {
                await WriteJsonAsync(context, w =>
                {
                    w.WriteBoolean("held", held);
                    w.WriteBoolean("cancel_requested", cancel);
                }).ConfigureAwait(false);
                return;
            }
            try
            {
                await changed.WaitAsync(left < poll ? left : poll, time, linked.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Re-read: polling is the backstop for missed notifications.
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The host is stopping: answer with the lease as it is now.
            }
        }
    }

    private static async Task FinishedAsync(HttpContext context, LeaseToken lease, bool ok)
    {
        if (!ok)
        {
            await LeaseLostAsync(context).ConfigureAwait(false);
            return;
        }
        NoContent(context);
    }

    /// <summary>
    /// Records a remote attempt's end with <paramref name="outcome"/> in Longhaul's meters and traces as the engine
    /// records its own (the operation is read once more: the lease token carries neither its kind nor its creation time).
    /// </summary>
    private static async Task MeterAsync(HttpContext context, LeaseToken lease, string outcome, string? errorCode, Action<LonghaulMetrics, Operation, DateTimeOffset> record)
    {
        var op = await Store(context).GetAsync(new GetParams(null, lease.Id), CancellationToken.None).ConfigureAwait(false);
        if (op is null) return;
        record(context.RequestServices.GetRequiredService<LonghaulMetrics>(), op, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        await context.RequestServices.GetRequiredService<RemoteAttemptTelemetry>().EndedAsync(lease, op, outcome, errorCode).ConfigureAwait(false);
    }
}
