using System.Globalization;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// The admission checks of a tenant's limits (<see cref="ITenantLimits"/>) that the endpoints share: the create rate
/// and pending limit of a start, connection slots of streams and long-polls, and stored bytes. Each check that refuses
/// writes its problem document itself (429 with <c>Retry-After</c>, or 413) and nothing is stored.
/// </summary>
internal static class TenantAdmission
{
    /// <summary>The <c>Retry-After</c> of a refusal whose end cannot be known (pending work or connections to drain), within the configured bounds.</summary>
    private static readonly TimeSpan DrainRetry = TimeSpan.FromSeconds(5);

    public static ValueTask<TenantLimits> LimitsAsync(HttpContext context, string tenant)
        => context.RequestServices.GetRequiredService<ITenantLimits>().GetAsync(tenant, context.RequestAborted);

    /// <summary>
    /// The create-rate check of a start (the API key's token bucket): the tenant's limits when admitted; null once 429
    /// <c>rate_limited</c> is written.
    /// </summary>
    public static async ValueTask<TenantLimits?> AdmitStartAsync(HttpContext context, string tenant)
    {
        var limits = await LimitsAsync(context, tenant).ConfigureAwait(false);
        var key = LonghaulCaller.Of(context)?.KeyId ?? "tenant:" + tenant;
        if (context.RequestServices.GetRequiredService<CreateRateLimiter>().TryAcquire(key, tenant, limits.CreateRatePerSecond, limits.CreateBurst) is not { } wait)
            return limits;
        SetRetryAfter(context, wait);
        Refused(context, TenantLimitMetrics.CreateRate);
        await ProblemResults.WriteAsync(context, ProblemCodes.RateLimited,
            $"This API key starts operations faster than its tenant's create rate ({limits.CreateRatePerSecond?.ToString(CultureInfo.InvariantCulture)}/s, "
            + $"burst {limits.CreateBurst?.ToString(CultureInfo.InvariantCulture) ?? "rate"}); nothing was stored.").ConfigureAwait(false);
        return null;
    }

    /// <summary>429 <c>tenant_pending_limit</c>: the store found the tenant at its <c>MaxPending</c>.</summary>
    public static Task WritePendingLimitAsync(HttpContext context, int? maxPending)
    {
        SetRetryAfter(context, Bounded(context, DrainRetry));
        Refused(context, TenantLimitMetrics.MaxPending);
        return ProblemResults.WriteAsync(context, ProblemCodes.TenantPendingLimit,
            $"The tenant has {maxPending?.ToString(CultureInfo.InvariantCulture)} pending operations, its limit; nothing was stored. Retry when some have started.");
    }

    /// <summary>
    /// A connection slot for an event stream or long-poll of <paramref name="tenant"/>, to dispose when it ends; null
    /// once 429 <c>connection_limit</c> is written.
    /// </summary>
    public static async ValueTask<IDisposable?> EnterConnectionAsync(HttpContext context, string tenant)
    {
        var limits = await LimitsAsync(context, tenant).ConfigureAwait(false);
        if (context.RequestServices.GetRequiredService<ConnectionLimiter>().TryEnter(tenant, limits.MaxConnections) is { } slot) return slot;
        SetRetryAfter(context, Bounded(context, DrainRetry));
        Refused(context, TenantLimitMetrics.MaxConnections);
        await ProblemResults.WriteAsync(context, ProblemCodes.ConnectionLimit,
            $"The tenant holds {limits.MaxConnections?.ToString(CultureInfo.InvariantCulture)} event streams and long-polls on this server, its limit; close one or retry later.").ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// A start with <c>Prefer: wait</c> is a long-poll: its connection slot (null without the header); Ok false once
    /// 429 <c>connection_limit</c> is written. The gateway holds the slot through the stream it may answer with.
    /// </summary>
    public static async ValueTask<(bool Ok, IDisposable? Slot)> EnterPreferWaitAsync(HttpContext context, string tenant)
    {
        var cap = context.RequestServices.GetRequiredService<IOptions<LonghaulApiOptions>>().Value.LongPollMax;
        if (OperationStarter.PreferredWait(context.Request.Headers["Prefer"], cap) is null) return (true, null);
        var slot = await EnterConnectionAsync(context, tenant).ConfigureAwait(false);
        return (slot is not null, slot);
    }

    /// <summary>
    /// True when the tenant may store <paramref name="moreBytes"/> more (files, uploads) within its <c>MaxStoredBytes</c>;
    /// false once 413 <c>storage_limit_exceeded</c> is written.
    /// </summary>
    public static async ValueTask<bool> StorageAllowsAsync(HttpContext context, string tenant, long moreBytes)
    {
        var limits = await LimitsAsync(context, tenant).ConfigureAwait(false);
        if (limits.MaxStoredBytes is not { } max) return true;
        var usage = await context.RequestServices.GetRequiredService<IOperationStore>()
            .GetStorageUsageAsync(new StorageUsageParams(tenant), context.RequestAborted).ConfigureAwait(false);
        if (usage.StoredBytes + moreBytes <= max) return true;
        Refused(context, TenantLimitMetrics.MaxStoredBytes);
        await ProblemResults.WriteAsync(context, ProblemCodes.StorageLimitExceeded,
            $"The tenant stores {usage.StoredBytes.ToString(CultureInfo.InvariantCulture)} bytes; {moreBytes.ToString(CultureInfo.InvariantCulture)} more would pass its limit of "
            + $"{max.ToString(CultureInfo.InvariantCulture)} bytes (MaxStoredBytes). Nothing was stored; delete operations or uploads first.").ConfigureAwait(false);
        return false;
    }

    /// <summary>Counts a refusal on the meter <c>Longhaul.Limits</c> (every limit's refusal passes one of these checks).</summary>
    internal static void Refused(HttpContext context, string limit) => context.RequestServices.GetService<TenantLimitMetrics>()?.Refused(limit);

    private static TimeSpan Bounded(HttpContext context, TimeSpan wait)
    {
        var api = context.RequestServices.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;
        return wait < api.RetryAfterMin ? api.RetryAfterMin : wait > api.RetryAfterMax ? api.RetryAfterMax : wait;
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan wait)
        => context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
