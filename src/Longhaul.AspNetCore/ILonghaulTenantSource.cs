using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>
/// The seam for an app that authenticates its own users: the tenant of an API request comes from the request's
/// signed-in user (<see cref="HttpContext.User"/>) instead of Longhaul's API keys. Registered with
/// <c>AddLonghaul(…).AddApi().UseTenantFromClaim(…)</c> or <c>.UseTenantSource&lt;T&gt;()</c>; with one registered,
/// every group <c>MapLonghaul(prefix)</c> mounts ignores <c>Authorization: Bearer</c> API keys, and the app's own
/// authentication (and <c>RequireAuthorization</c>) decides who may call. Implemented by apps; a singleton.
/// </summary>
public interface ILonghaulTenantSource
{
    /// <summary>
    /// The tenant of a request whose user is signed in (<c>User.Identity.IsAuthenticated</c>; Longhaul answers 401
    /// <c>unauthorized</c> before asking otherwise), or null when this user may not use the API: Longhaul then answers
    /// 403 <c>forbidden</c>, never a default tenant. A tenant is 1 to 63 characters of a-z, 0-9, '-' and '_' (starting
    /// with a letter or digit); any other value is refused with 403 too. Operations of one tenant are invisible to every
    /// other (404).
    /// </summary>
    ValueTask<string?> GetTenantAsync(HttpContext context, CancellationToken cancellationToken);
}
