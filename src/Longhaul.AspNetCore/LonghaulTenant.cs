using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>
/// The caller's tenant as a bound parameter of a typed handler: the API's gate (<see cref="LonghaulMiddleware"/>, API
/// keys or the app's <see cref="ILonghaulTenantSource"/>) resolved it before the handler runs, so binding only reads it.
/// </summary>
/// <param name="Name">The tenant.</param>
internal sealed record LonghaulTenant(string Name)
{
    /// <summary>Minimal API binding: the tenant the gate put on the request.</summary>
    public static ValueTask<LonghaulTenant?> BindAsync(HttpContext context) => ValueTask.FromResult<LonghaulTenant?>(new(OperationEndpoints.Tenant(context)));
}
