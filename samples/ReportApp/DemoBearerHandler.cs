using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ReportApp;

/// <summary>
/// The app's own authentication, kept tiny for the sample: <c>Authorization: Bearer &lt;token&gt;</c> signs in the user
/// configured under <c>ReportApp:Users:&lt;token&gt;</c> (<c>Name</c>, and <c>Tenant</c> as the claim <c>tenant</c>).
/// A real app uses its identity provider (JWT bearer, cookies, …); Longhaul only reads the signed-in user.
/// </summary>
public sealed class DemoBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DemoBearer";
    public const string TenantClaim = "tenant";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var user = configuration.GetSection($"ReportApp:Users:{header[7..].Trim()}");
        if (user["Name"] is not { Length: > 0 } name) return Task.FromResult(AuthenticateResult.Fail("Unknown token."));
        var claims = new List<Claim> { new(ClaimTypes.Name, name) };
        if (user["Tenant"] is { Length: > 0 } tenant) claims.Add(new Claim(TenantClaim, tenant));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // The status and the header only: UseLonghaul, earlier in the pipeline, writes the 401 problem document.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
