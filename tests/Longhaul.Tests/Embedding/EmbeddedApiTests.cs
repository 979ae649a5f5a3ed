using System.Net;
using System.Text.Json;
using Longhaul.AspNetCore;
using Longhaul.Postgres;
using Longhaul.Sqlite;
using Longhaul.Storage;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using static Longhaul.Tests.Embedding.EmbeddedApp;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests.Embedding;

/// <summary>
/// Longhaul embedded in an app of its own: the builder's start-up checks, <c>MapLonghaul(prefix)</c> with every link
/// under the prefix, and the tenant from the app's signed-in user (<see cref="ILonghaulTenantSource"/>).
/// </summary>
public sealed class EmbeddedApiTests
{
    private const string StartBody = """{"kind":"file-link","input":{}}""";

    [Fact]
    public async Task MapLonghaul_UnderApiJobs_LocationAndStoredFileLinkFollowThePrefix()
    {
        await using var app = await StartAsync("/api/jobs", tenantFromClaim: false);

        using var started = await app.Http.PostAsync("/api/jobs/operations", Json(StartBody), Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await ReadJsonAsync(started)).Id();
        Assert.Equal($"/api/jobs/operations/{id}", started.Headers.Location!.OriginalString);

        var op = await app.Http.GetJsonAsync($"/api/jobs/operations/{id}/wait?timeout=20");
        Assert.True(op.Status() == "succeeded", op.ToString());
        var url = op.GetProperty("result").GetProperty("url").GetString()!;
        Assert.Equal($"/api/jobs/operations/{id}/files/report.txt", url);
        Assert.Equal(FileLinkHandler.Content, await app.Http.GetStringAsync(url, Ct));

        using var kinds = await app.Http.GetAsync("/api/jobs/kinds", Ct);
        Assert.Equal(HttpStatusCode.OK, kinds.StatusCode);
        using var v1 = await app.Http.GetAsync("/v1/kinds", Ct);
        await AssertProblemAsync(v1, 404, "not_found");
    }

    [Fact]
    public async Task MapLonghaul_PrefixOtherThanApiPath_ThrowsNamingTheSetting()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddLonghaul().UseSqlite(Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.db")).AddApi();
        await using var app = builder.Build();
        var ex = Assert.Throws<InvalidOperationException>(() => app.MapLonghaul("/api/jobs"));
        Assert.Contains("Longhaul:ApiPath", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => app.MapLonghaul("/api/{tenant}"));
    }

    [Fact]
    public async Task AddLonghaul_WithoutAStore_StartFailsSayingHowToChooseOne()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddLonghaul();
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(Ct));
        Assert.Contains("no store", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UseSqlite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseStore_ASecondStore_IsRefusedNamingBoth()
    {
        var longhaul = new ServiceCollection().AddLonghaul().UseSqlite("a.db");
        var ex = Assert.Throws<InvalidOperationException>(() => longhaul.UsePostgres(new PostgresStoreOptions { ConnectionString = "Host=localhost" }));
        Assert.Contains("sqlite", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UsePostgres", ex.Message, StringComparison.Ordinal);
        Assert.Equal("sqlite", longhaul.Store);
    }

    [Fact]
    public async Task ConfigureKind_OverridesConfiguration_AndAnUnknownKindFailsStartUp()
    {
        var dir = Path.Combine(Path.GetTempPath(), "longhaul-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await ConfigureKindAsync(Path.Combine(dir, "longhaul.db"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task ConfigureKindAsync(string path)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["Longhaul:Kinds:file-link:MaxAttempts"] = "4";
        builder.Services.AddLonghaul(builder.Configuration, o => o.RunWorkers = false)
            .UseSqlite(path)
            .AddKind<FileLinkHandler>()
            .ConfigureKind(FileLinkHandler.Name, o => o.MaxAttempts = 7);
        using (var host = builder.Build())
        {
            await host.StartAsync(Ct);
            var started = await host.Services.GetRequiredService<IOperationStarter>().StartAsync(FileLinkHandler.Name, new { }, cancellationToken: Ct);
            Assert.Equal(7, started.Operation.MaxAttempts);
            await host.StopAsync(Ct);
        }

        var unknown = Host.CreateApplicationBuilder();
        unknown.Logging.ClearProviders();
        unknown.Services.AddLonghaul().UseSqlite(path).ConfigureKind("no-such-kind", o => o.MaxAttempts = 2);
        using var failing = unknown.Build();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => failing.StartAsync(Ct));
        Assert.Contains("no-such-kind", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantFromClaim_NoUser_Is401Problem_EvenWithALonghaulApiKey()
    {
        await using var app = await StartAsync("/v1", tenantFromClaim: true);
        using var anonymous = await app.Http.GetAsync("/v1/operations", Ct);
        await AssertProblemAsync(anonymous, 401, "unauthorized");

        // API keys are not this group's authentication: a key of the store does not make a caller.
        var store = app.Services.GetRequiredService<IOperationStore>();
        var key = ApiKeys.NewKey();
        await store.CreateApiKeyAsync(new CreateApiKeyParams(ApiKeys.NewId(), "acme", ApiKeys.Hash(key), DateTimeOffset.UtcNow), Ct);
        using var keyed = As(HttpMethod.Get, "/v1/operations", user: null);
        keyed.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var withKey = await app.Http.SendAsync(keyed, Ct);
        await AssertProblemAsync(withKey, 401, "unauthorized");
    }

    [Fact]
    public async Task TenantFromClaim_UserWithoutTenant_Is403Forbidden_NeverTheDefaultTenant()
    {
        await using var app = await StartAsync("/v1", tenantFromClaim: true);
        using var request = As(HttpMethod.Post, "/v1/operations", "carol", content: Json(StartBody));
        using var response = await app.Http.SendAsync(request, Ct);
        await AssertProblemAsync(response, 403, "forbidden");

        using var badName = As(HttpMethod.Get, "/v1/operations", "dave", tenant: "Not A Tenant");
        using var badNameResponse = await app.Http.SendAsync(badName, Ct);
        await AssertProblemAsync(badNameResponse, 403, "forbidden");
    }

    [Fact]
    public async Task TenantFromClaim_UserOfTenantB_CannotSeeOrCancelTenantAsOperation()
    {
        await using var app = await StartAsync("/v1", tenantFromClaim: true);
        using var start = As(HttpMethod.Post, "/v1/operations", "alice", "acme", content: Json(StartBody));
        using var started = await app.Http.SendAsync(start, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await ReadJsonAsync(started)).Id();

        using var own = await app.Http.SendAsync(As(HttpMethod.Get, $"/v1/operations/{id}", "alice", "acme"), Ct);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var foreign = await app.Http.SendAsync(As(HttpMethod.Get, $"/v1/operations/{id}", "bob", "globex"), Ct);
        await AssertProblemAsync(foreign, 404, "operation_not_found");
        using var cancel = await app.Http.SendAsync(As(HttpMethod.Post, $"/v1/operations/{id}/cancel", "bob", "globex"), Ct);
        await AssertProblemAsync(cancel, 404, "operation_not_found");
        using var list = await app.Http.SendAsync(As(HttpMethod.Get, "/v1/operations", "bob", "globex"), Ct);
        var operations = (await ReadJsonAsync(list)).GetProperty("operations");
        Assert.Equal(0, operations.GetArrayLength());
    }

    [Fact]
    public async Task RequireAuthorization_OnTheGroup_RefusesWithProblemsBeforeLonghaulRuns()
    {
        await using var app = await StartAsync("/v1", tenantFromClaim: true, group => group.RequireAuthorization("jobs"));

        using var anonymous = await app.Http.GetAsync("/v1/kinds", Ct);
        await AssertProblemAsync(anonymous, 401, "unauthorized");
        using var noScope = await app.Http.SendAsync(As(HttpMethod.Get, "/v1/kinds", "alice", "acme"), Ct);
        await AssertProblemAsync(noScope, 403, "forbidden");
        using var allowed = await app.Http.SendAsync(As(HttpMethod.Get, "/v1/kinds", "alice", "acme", scope: "jobs"), Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var kinds = (await ReadJsonAsync(allowed)).GetProperty("kinds").EnumerateArray().Select(k => k.GetProperty("name").GetString());
        Assert.Contains(FileLinkHandler.Name, kinds);

        using var health = await app.Http.GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
