using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Longhaul.Dashboard.Tests;

/// <summary>The dashboard in a real browser against the real <c>longhaul</c> binary.</summary>
public sealed class DashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private DashboardServer? _server;
    private LocalUpstream? _upstream;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_upstream is not null) await _upstream.DisposeAsync();
    }

    private async Task<DashboardServer> StartAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] tenants)
        => _server = await DashboardServer.StartAsync(environment, tenants.Length == 0 ? ["alpha"] : tenants);

    private static JsonObject Sleep(double seconds, int steps, JsonObject? metadata = null, bool output = false) => new()
    {
        ["kind"] = "sleep",
        ["input"] = new JsonObject { ["seconds"] = seconds, ["steps"] = steps, ["output"] = output },
        ["metadata"] = metadata,
    };

    private static Task<double> ProgressValueAsync(IPage page, string id)
        => page.Locator($"tr[data-id='{id}'] progress").EvaluateAsync<double>("p => Number(p.value)");

    [Fact]
    public async Task SignIn_OperationStartedThroughTheApi_AppearsWithoutReloadAndItsProgressAdvances()
    {
        var server = await StartAsync();
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        await Expect(page.Locator("#ops-body")).ToContainTextAsync("No operations yet");
        await DashboardServer.ScreenshotAsync(page, "empty");

        var id = await DashboardServer.StartOperationAsync(server.ClientFor("alpha"), Sleep(10, 10, new JsonObject { ["customer"] = "acme" }));

        var row = page.Locator($"tr[data-id='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("id => Number(document.querySelector(`tr[data-id=\"${id}\"] progress`)?.value) > 0", id);
        var first = await ProgressValueAsync(page, id);
        await page.WaitForFunctionAsync("([id, v]) => Number(document.querySelector(`tr[data-id=\"${id}\"] progress`)?.value) > v", new object[] { id, first });
        Assert.True(await ProgressValueAsync(page, id) > first);
        await Expect(row.Locator(".progress-text")).ToContainTextAsync("%");
        await DashboardServer.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task Cancel_FromTheTable_EndsTheOperationCancelled()
    {
        var server = await StartAsync();
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        var client = server.ClientFor("alpha");
        var id = await DashboardServer.StartOperationAsync(client, Sleep(3600, 3600));
        var row = page.Locator($"tr[data-id='{id}']");
        await Expect(row).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel " + id }).ClickAsync();

        await Expect(row).ToHaveAttributeAsync("data-status", "cancelled");
        var op = await DashboardServer.GetJsonAsync(client, $"/v1/operations/{id}");
        Assert.Equal("cancelled", op["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task BulkCancel_ByMetadataFilter_Stops200OperationsAndShowsItsProgress()
    {
        // The sleeps may hold at most 20 slots, so the bulk operation finds one free.
        var server = await StartAsync(new Dictionary<string, string> { ["Longhaul__Kinds__sleep__Slots"] = "20" });
        var client = server.ClientFor("alpha");
        var ids = new List<string>();
        for (var i = 0; i < 200; i += 10)
        {
            var batch = Enumerable.Range(0, 10).Select(_ => DashboardServer.StartOperationAsync(client, Sleep(3600, 3600, new JsonObject { ["batch"] = "b1" })));
            ids.AddRange(await Task.WhenAll(batch));
        }
        var keep = await DashboardServer.StartOperationAsync(client, Sleep(3600, 3600, new JsonObject { ["batch"] = "other" }));
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        // The first, unfiltered list must have landed before filtering, or it can overwrite the filtered count.
        await Expect(page.Locator("#total-count")).ToHaveTextAsync("(201 matching)");
        await page.Locator("#f-metadata").FillAsync("batch=b1");
        await page.Locator("#apply-filters").ClickAsync();
        await Expect(page.Locator("#total-count")).ToHaveTextAsync("(200 matching)");

        await page.Locator("#bulk-cancel").ClickAsync();
        await page.Locator("dialog.confirm .dialog-confirm").ClickAsync();

        await Expect(page.Locator(".bulk-progress")).ToContainTextAsync("Bulk");
        await Expect(page.Locator(".bulk-text")).ToHaveTextAsync("200 cancelled, 0 skipped of 200", new() { Timeout = 60_000 });
        await Expect(page.Locator(".bulk-bar")).ToHaveAttributeAsync("value", "100");
        await DashboardServer.ScreenshotAsync(page, "bulk-cancel");
        var cancelled = await Eventually.ValueAsync(
            async () => (await DashboardServer.GetJsonAsync(client, "/v1/operations?status=cancelled&metadata.batch=b1&count=true"))["total_count"]!.GetValue<long>(),
            n => n == 200, TimeSpan.FromSeconds(60));
        Assert.Equal(200, cancelled);
        Assert.False((await DashboardServer.GetJsonAsync(client, $"/v1/operations/{keep}"))["done"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Filters_AnAnswerForEarlierFiltersArrivingLast_DoesNotReplaceTheList()
    {
        var server = await StartAsync();
        var client = server.ClientFor("alpha");
        var a = await DashboardServer.StartOperationAsync(client, Sleep(3600, 3600, new JsonObject { ["batch"] = "a" }));
        var b1 = await DashboardServer.StartOperationAsync(client, Sleep(3600, 3600, new JsonObject { ["batch"] = "b" }));
        var b2 = await DashboardServer.StartOperationAsync(client, Sleep(3600, 3600, new JsonObject { ["batch"] = "b" }));
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        await Expect(page.Locator("#total-count")).ToHaveTextAsync("(3 matching)");
        // The page notes each answer body it read once the code awaiting it has run (a task after the read's microtasks).
        await page.EvaluateAsync("""
            () => {
              window.__read = [];
              const text = Response.prototype.text;
              Response.prototype.text = function () {
                const url = this.url;
                return text.call(this).then((t) => { setTimeout(() => window.__read.push(url)); return t; });
              };
            }
            """);
        // The list for batch=a is held until the list for batch=b has been shown.
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/v1/operations?*", async route =>
        {
            if (route.Request.Url.Contains("metadata.batch=a", StringComparison.Ordinal)) await release.Task;
            await route.ContinueAsync();
        });

        await page.Locator("#f-metadata").FillAsync("batch=a");
        await page.Locator("#apply-filters").ClickAsync();
        await page.Locator("#f-metadata").FillAsync("batch=b");
        await page.Locator("#apply-filters").ClickAsync();
        await Expect(page.Locator("#total-count")).ToHaveTextAsync("(2 matching)");
        release.SetResult();
        await page.WaitForFunctionAsync("() => window.__read.some((u) => u.includes('metadata.batch=a'))");

        await Expect(page.Locator("#total-count")).ToHaveTextAsync("(2 matching)");
        await Expect(page.Locator($"tr[data-id='{b1}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{b2}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"tr[data-id='{a}']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Output_OfASleepWithOutput_AppearsChunkByChunk()
    {
        var server = await StartAsync();
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        var id = await DashboardServer.StartOperationAsync(server.ClientFor("alpha"), Sleep(6, 6, output: true));

        await page.GotoAsync(new Uri(server.Server.BaseAddress, "/ui/#/op/" + id).ToString());

        await Expect(page.Locator("#output")).ToContainTextAsync("\"step\":1");
        var early = await page.Locator("#output").TextContentAsync();
        Assert.DoesNotContain("\"step\":6", early, StringComparison.Ordinal);
        await Expect(page.Locator("#output")).ToContainTextAsync("\"step\":6");
        await Expect(page.Locator("#detail-status")).ToHaveTextAsync("succeeded");
    }

    [Fact]
    public async Task HttpOutput_StreamedTokens_AppearTokenByTokenAndAnXssPayloadRendersAsText()
    {
        const string Payload = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
        var tokens = Channel.CreateUnbounded<string>();
        _upstream = await LocalUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await foreach (var token in tokens.Reader.ReadAllAsync(context.RequestAborted))
            {
                var data = token == "[DONE]" ? "[DONE]" : new JsonObject { ["choices"] = new JsonArray(new JsonObject { ["delta"] = new JsonObject { ["content"] = token } }) }.ToJsonString();
                await context.Response.WriteAsync($"data: {data}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (token == "[DONE]") return;
            }
        }, EndToEndEnvironment.Ct);
        var server = await StartAsync(new Dictionary<string, string>
        {
            ["Longhaul__Egress__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Longhaul__Upstreams__llm__BaseUrl"] = _upstream.Address,
        });
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        var id = await DashboardServer.StartOperationAsync(server.ClientFor("alpha"), new JsonObject
        {
            ["kind"] = "http",
            ["input"] = new JsonObject { ["upstream"] = "llm", ["method"] = "POST", ["path"] = "/v1/chat/completions", ["body"] = new JsonObject { ["stream"] = true } },
            ["metadata"] = new JsonObject { ["note"] = Payload },
        });
        await page.GotoAsync(new Uri(server.Server.BaseAddress, "/ui/#/op/" + id).ToString());
        var output = page.Locator("#output");

        await tokens.Writer.WriteAsync("Hel", EndToEndEnvironment.Ct);
        await Expect(output).ToHaveTextAsync("Hel");
        await tokens.Writer.WriteAsync("lo, ", EndToEndEnvironment.Ct);
        await Expect(output).ToHaveTextAsync("Hello, ");
        await tokens.Writer.WriteAsync(Payload, EndToEndEnvironment.Ct);
        await Expect(output).ToHaveTextAsync("Hello, " + Payload);
        await tokens.Writer.WriteAsync("[DONE]", EndToEndEnvironment.Ct);
        await Expect(page.Locator("#detail-status")).ToHaveTextAsync("succeeded");

        await Expect(page.Locator("#metadata")).ToContainTextAsync("<img src=x");
        Assert.Equal(0, await page.Locator("#output img, #output script, #metadata img, #result img").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        await DashboardServer.ScreenshotAsync(page, "detail-streamed-output-xss-as-text");
        await page.GotoAsync(new Uri(server.Server.BaseAddress, "/ui/#/").ToString());
        await Expect(page.Locator($"tr[data-id='{id}']")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        await DashboardServer.ScreenshotAsync(page, "list-after-xss");
    }

    [Fact]
    public async Task SecondTenant_SeesNoneOfTheFirstTenantsOperations()
    {
        var server = await StartAsync(null, "alpha", "beta");
        var id = await DashboardServer.StartOperationAsync(server.ClientFor("alpha"), Sleep(3600, 3600, new JsonObject { ["customer"] = "acme" }));
        var alpha = await server.SignedInPageAsync(browser.Browser, "alpha");
        await Expect(alpha.Locator($"tr[data-id='{id}']")).ToBeVisibleAsync();

        var beta = await server.SignedInPageAsync(browser.Browser, "beta");
        await Expect(beta.Locator("#ops-body")).ToContainTextAsync("No operations yet");
        var later = await DashboardServer.StartOperationAsync(server.ClientFor("alpha"), Sleep(3600, 3600));
        await Expect(alpha.Locator($"tr[data-id='{later}']")).ToBeVisibleAsync();
        Assert.Equal(0, await beta.Locator("tr[data-id]").CountAsync());
        await Expect(beta.Locator(".card[data-status=running] .card-n, .card[data-status=pending] .card-n").First).ToHaveTextAsync("0");

        await beta.GotoAsync(new Uri(server.Server.BaseAddress, "/ui/#/op/" + id).ToString());
        await Expect(beta.Locator(".detail-message")).ToContainTextAsync("No operation");
    }

    [Fact]
    public async Task SignIn_WrongKey_StaysOnSignInAndAStaleKeyGoesBackToIt()
    {
        var server = await StartAsync();
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(new Uri(server.Server.BaseAddress, "/ui/").ToString());
        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"], StringComparison.Ordinal);

        await page.Locator("#api-key").FillAsync("lh_not_a_key");
        await page.Locator("form.sign-in button[type=submit]").ClickAsync();

        await Expect(page.Locator("form.sign-in .error")).ToContainTextAsync("refused");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('longhaul.api_key')"));
        Assert.DoesNotContain("lh_", page.Url, StringComparison.Ordinal);
        await context.DisposeAsync();
    }
}
