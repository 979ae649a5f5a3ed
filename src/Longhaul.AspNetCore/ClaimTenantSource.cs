using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>The tenant is the value of one claim of the signed-in user, e.g. <c>tenant</c>; a user without it is refused (403).</summary>
/// <param name="claimType">The claim type that holds the tenant.</param>
public sealed class ClaimTenantSource(string claimType) : ILonghaulTenantSource
{
    /// <summary>The claim type that holds the tenant.</summary>
    public string ClaimType { get; } = string.IsNullOrWhiteSpace(claimType) ? throw new ArgumentException("A claim type is required.", nameof(claimType)) : claimType;

    /// <inheritdoc />
    public ValueTask<string?> GetTenantAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(context.User.FindFirst(ClaimType)?.Value);
    }
}
