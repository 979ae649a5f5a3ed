using Longhaul.AspNetCore;
using Longhaul.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Longhaul.Tests.Embedding;

/// <summary>
/// An ASP.NET Core app that embeds Longhaul the way docs/embed.md says, on a loopback port with its own SQLite file:
/// the builder, <c>MapLonghaul(prefix)</c>, and optionally the app's own authentication with the tenant from a claim.
/// </summary>
public sealed class EmbeddedApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;

    private EmbeddedApp(WebApplication app, string dataDir, Uri address)
    {
        _app = app;
        _dataDir = dataDir;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the app with the API at <paramref name="prefix"/>; with <paramref name="tenantFromClaim"/> the app
    /// authenticates <c>X-User</c> and Longhaul takes the tenant from the claim <c>tenant</c>;
    /// <paramref name="configureGroup"/> adds conventions to the group (e.g. <c>RequireAuthorization</c>).
    /// </summary>
    public static async Task<EmbeddedApp> StartAsync(string prefix, bool tenantFromClaim, Action<RouteGroupBuilder>? configureGroup = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "longhaul-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var longhaul = builder.Services.AddLonghaul(builder.Configuration)
            .ConfigureEngine(o => o.ApiPath = prefix)
            .UseSqlite(Path.Combine(dataDir, "longhaul.db"))
            .AddKind<FileLinkHandler>()
            .AddApi();
        if (tenantFromClaim)
        {
            builder.Services.AddAuthentication(HeaderUserAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, HeaderUserAuthenticationHandler>(HeaderUserAuthenticationHandler.SchemeName, null);
            builder.Services.AddAuthorizationBuilder().AddPolicy("jobs", p => p.RequireClaim("scope", "jobs"));
            longhaul.UseTenantFromClaim("tenant");
        }
        var app = builder.Build();
        app.UseLonghaul();
        if (tenantFromClaim)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        app.MapLonghaulHealth();
        var group = app.MapLonghaul(prefix);
        configureGroup?.Invoke(group);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmbeddedApp(app, dataDir, new Uri(address));
    }

    /// <summary>A request as the user <paramref name="user"/> of <paramref name="tenant"/> (no headers for a null user).</summary>
    public static HttpRequestMessage As(HttpMethod method, string path, string? user, string? tenant = null, string? scope = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (user is not null) request.Headers.Add("X-User", user);
        if (tenant is not null) request.Headers.Add("X-Tenant", tenant);
        if (scope is not null) request.Headers.Add("X-Scope", scope);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
