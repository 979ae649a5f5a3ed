using System.Globalization;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore.Admission;

/// <summary>API-key authentication with failed attempts limited per client address (<see cref="AuthFailureLimiter"/>).</summary>
internal static class AuthAttempts
{
    /// <summary>The caller; null once 401 <c>unauthorized</c> or 429 <c>auth_rate_limited</c> is written.</summary>
    public static async ValueTask<LonghaulCaller?> ResolveAsync(HttpContext context, TenantResolver tenants)
    {
        var limiter = context.RequestServices.GetService<AuthFailureLimiter>();
        var address = context.Connection.RemoteIpAddress;
        var sendsKey = context.Request.Headers.Authorization.Count > 0;
        if (limiter is not null && sendsKey && limiter.Blocked(address) is { } left)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(left.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            TenantAdmission.Refused(context, Tenancy.TenantLimitMetrics.AuthFailures);
            await ProblemResults.WriteAsync(context, ProblemCodes.AuthRateLimited,
                "Too many requests with a wrong API key came from this address; wait for Retry-After seconds.").ConfigureAwait(false);
            return null;
        }
        var caller = await tenants.ResolveCallerAsync(context).ConfigureAwait(false);
        if (caller is not null) return caller;
        if (sendsKey) limiter?.Failed(address);
        await LonghaulMiddleware.WriteKeyRequiredAsync(context).ConfigureAwait(false);
        return null;
    }
}
