using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.Playwright;

namespace Longhaul.Dashboard.Tests;

/// <summary>
/// A real <c>longhaul serve</c> with one API key per tenant, browser pages signed in to its dashboard, and screenshots
/// saved to <c>artifacts/screenshots/</c> at the repository root (kept by CI).
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();
    private readonly List<IBrowserContext> _contexts = [];

    private DashboardServer() { }

    public LonghaulServerProcess Server { get; private set; } = null!;

    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    public string Logs => _env.Logs;

    public static async Task<DashboardServer> StartAsync(IReadOnlyDictionary<string, string>? environment, params string[] tenants)
    {
        var server = new DashboardServer();
        foreach (var tenant in tenants)
        {
            var created = await server._env.RunAsync(null, "keys", "create", "--tenant", tenant, "--data-dir", server._env.DataDir);
            if (created.ExitCode != 0) throw new InvalidOperationException(created.Output);
            server.Keys[tenant] = created.Stdout.Trim();
        }
        server.Server = await server._env.StartServerAsync(environment);
        return server;
    }

    public HttpClient ClientFor(string tenant)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Keys[tenant]);
        return client;
    }

    public static async Task<string> StartOperationAsync(HttpClient client, JsonObject request)
    {
        using var response = await client.PostAsync("/v1/operations", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"), EndToEndEnvironment.Ct);
        var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    public static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
        => JsonNode.Parse(await client.GetStringAsync(path, EndToEndEnvironment.Ct))!;

    /// <summary>A new browser context (its own sessionStorage) on <c>/ui/</c>, signed in with the tenant's key.</summary>
    public async Task<IPage> SignedInPageAsync(IBrowser browser, string tenant)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Server.BaseAddress, "/ui/").ToString());
        await page.Locator("#api-key").FillAsync(Keys[tenant]);
        await page.Locator("form.sign-in button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#ops")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Revokes the tenant's key with <c>longhaul keys revoke</c> (the server stops accepting it within seconds).</summary>
    public async Task RevokeAsync(string tenant)
    {
        var list = await _env.RunAsync(null, "keys", "list", "--data-dir", _env.DataDir);
        var id = list.Stdout.Split('\n').Select(l => l.Split('\t')).First(f => f.Length > 1 && f[1] == tenant)[0];
        var revoked = await _env.RunAsync(null, "keys", "revoke", id, "--data-dir", _env.DataDir);
        if (revoked.ExitCode != 0) throw new InvalidOperationException(revoked.Output);
    }

    /// <summary>Kills the server (SIGKILL): the page finds nothing at its address.</summary>
    public async Task StopServerAsync()
    {
        Server.Process.Kill();
        await Server.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), EndToEndEnvironment.Ct);
    }

    /// <summary>Starts the server again on the same data directory and port.</summary>
    public async Task RestartServerAsync() => Server = await _env.StartServerOnPortAsync(Server.BaseAddress.Port);

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Longhaul.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("No Longhaul.sln above the test output.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts) await context.DisposeAsync();
        await _env.DisposeAsync();
    }
}
