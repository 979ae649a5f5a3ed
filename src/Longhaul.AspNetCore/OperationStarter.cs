using System.Diagnostics;
using System.Security.Cryptography;
using Longhaul.Contracts;
using Longhaul.Execution;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// What every endpoint that starts an operation shares (<c>POST /v1/operations</c>, the gateway): the
/// <c>Idempotency-Key</c> rules and <c>Prefer: respond-async, wait=N</c>.
/// </summary>
internal static class OperationStarter
{
    /// <summary>The request's Idempotency-Key; answers 400 itself (and returns false) when it is malformed.</summary>
    public static async Task<(bool Ok, string? Key)> ReadIdempotencyKeyAsync(HttpContext context)
    {
        var values = context.Request.Headers["Idempotency-Key"];
        if (values.Count == 0) return (true, null);
        if (values.Count == 1 && OperationStartRules.IsValidIdempotencyKey(values[0])) return (true, values[0]);
        await ProblemResults.WriteAsync(context, ProblemCodes.IdempotencyKeyInvalid, "Idempotency-Key must be one value of 1 to 255 printable ASCII characters.").ConfigureAwait(false);
        return (false, null);
    }

    /// <summary>
    /// Stores <paramref name="operation"/> under <paramref name="key"/> (fingerprinted by <paramref name="fingerprint"/>),
    /// within the tenant's create rate and pending limit (429 <c>rate_limited</c>, 429 <c>tenant_pending_limit</c>).
    /// Answers 422 (key reused), 409 (key in flight) and those 429s itself and returns null; marks replays. With
    /// <c>Prefer: wait=N</c> a new operation is awaited for up to N seconds while its key counts as in flight;
    /// <see cref="Started.WaitApplied"/> says it finished in time (and <c>Preference-Applied</c> is set). With
    /// <paramref name="untilOutput"/> the wait also ends at the operation's first <c>output</c> event
    /// (<see cref="Started.OutputStarted"/>), so that the caller can stream the rest.
    /// </summary>
    public static async Task<Started?> StartAsync(HttpContext context, OperationToStart operation, byte[] fingerprint, string? key, bool untilOutput = false)
    {
        var services = context.RequestServices;
        if (await Admission.TenantAdmission.AdmitStartAsync(context, operation.Tenant).ConfigureAwait(false) is not { } limits) return null;
        var store = services.GetRequiredService<IOperationStore>();
        var api = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;
        var wait = PreferredWait(context.Request.Headers["Prefer"], api.LongPollMax);
        var idempotency = key is null ? null : services.GetRequiredService<OperationStartRules>().Claim(
            key, Convert.ToHexStringLower(SHA256.HashData(fingerprint)), wait is { } w ? w + TimeSpan.FromSeconds(5) : null);
        StartResult result;
        using (var span = LonghaulTracing.Source.StartActivity("longhaul.store.start", ActivityKind.Internal))
        {
            span?.SetTag("longhaul.operation.id", operation.Id);
            span?.SetTag("longhaul.operation.kind", operation.Kind);
            var start = new StartParams(operation, idempotency) { MaxPending = limits.MaxPending, MaxEvents = limits.MaxEventsPerOperation };
            result = await store.StartAsync(start, context.RequestAborted).ConfigureAwait(false);
        }
        switch (result.Outcome)
        {
            case StartOutcome.KeyReused:
                await ProblemResults.WriteAsync(context, ProblemCodes.IdempotencyKeyReused, "This Idempotency-Key was already used with a different request.").ConfigureAwait(false);
                return null;
            case StartOutcome.KeyInFlight:
                context.Response.Headers.RetryAfter = "1";
                await ProblemResults.WriteAsync(context, ProblemCodes.IdempotencyKeyInFlight, "A request with this Idempotency-Key is still being processed; retry later.").ConfigureAwait(false);
                return null;
            case StartOutcome.PendingLimitReached:
                await Admission.TenantAdmission.WritePendingLimitAsync(context, limits.MaxPending).ConfigureAwait(false);
                return null;
            case StartOutcome.Replayed:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return new Started(result.Operation!, false, false);
        }

        var op = result.Operation!;
        services.GetRequiredService<LonghaulMetrics>().Created(op.Kind);
        if (wait is not { } waitFor) return new Started(op, false, false);
        var outputStarted = false;
        try
        {
            var waiter = services.GetRequiredService<OperationWaiter>();
            using var polling = services.GetRequiredService<LonghaulMetrics>().LongPoll();
            var (waited, output) = untilOutput
                ? await waiter.WaitForOutputAsync(operation.Tenant, op.Id, waitFor, context.RequestAborted).ConfigureAwait(false)
                : (await waiter.WaitAsync(operation.Tenant, op.Id, waitFor, context.RequestAborted).ConfigureAwait(false), false);
            if (waited is not null) op = waited;
            outputStarted = output && !op.Done;
        }
        finally
        {
            if (key is not null) await store.ReleaseIdempotencyKeyAsync(new ReleaseIdempotencyParams(operation.Tenant, key), CancellationToken.None).ConfigureAwait(false);
        }
        if (!op.Done && !outputStarted) return new Started(op, false, false);
        context.Response.Headers["Preference-Applied"] = $"wait={(int)waitFor.TotalSeconds}";
        return new Started(op, op.Done, outputStarted);
    }

    /// <summary>202 with <c>Location</c>, <c>Retry-After</c> and the resource: the answer when the work goes async.</summary>
    public static Task WriteAcceptedAsync(HttpContext context, Operation op)
    {
        context.Response.Headers.Location = $"{ApiGate.ApiPath(context)}/operations/{op.Id}";
        return OperationEndpoints.WriteResourceAsync(context, 202, op);
    }

    /// <summary>The <c>wait=N</c> of a <c>Prefer</c> header (RFC 7240), capped; null when absent or unusable.</summary>
    internal static TimeSpan? PreferredWait(Microsoft.Extensions.Primitives.StringValues headers, TimeSpan cap)
    {
        foreach (var header in headers)
        {
            if (header is null) continue;
            foreach (var preference in header.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = preference.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0 || !preference[..eq].Trim().Equals("wait", StringComparison.OrdinalIgnoreCase)) continue;
                if (int.TryParse(preference[(eq + 1)..].Trim().Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                    return TimeSpan.FromSeconds(Math.Min(seconds, cap.TotalSeconds));
            }
        }
        return null;
    }

    /// <summary>
    /// The stored (or replayed) operation; <see cref="WaitApplied"/> when it finished within <c>Prefer: wait</c>;
    /// <see cref="OutputStarted"/> when, asked to, the wait ended at its first <c>output</c> event instead.
    /// </summary>
    public sealed record Started(Operation Operation, bool WaitApplied, bool OutputStarted);
}
