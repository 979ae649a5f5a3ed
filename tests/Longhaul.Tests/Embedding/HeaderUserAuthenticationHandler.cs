using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Longhaul.Tests.Embedding;

/// <summary>
/// The embedding app's own authentication in these tests: <c>X-User: name</c> signs in <c>name</c>, with the claim
/// <c>tenant</c> from <c>X-Tenant</c> when sent and <c>scope</c> from <c>X-Scope</c>. No header: no user.
/// </summary>
public sealed class HeaderUserAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HeaderUser";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var name = Request.Headers["X-User"].ToString();
        if (name.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        if (Request.Headers["X-Tenant"].ToString() is { Length: > 0 } tenant) claims.Add(new Claim("tenant", tenant));
        if (Request.Headers["X-Scope"].ToString() is { Length: > 0 } scope) claims.Add(new Claim("scope", scope));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
