using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Longhaul.Dashboard.Tests;

/// <summary>The API reference page (<c>/scalar/v1</c>) in a real browser with every request off the server blocked.</summary>
public sealed class ApiReferenceTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private DashboardServer? _server;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    [Fact]
    public async Task ApiReference_LoadsOffline_WithEveryAssetFromTheServer()
    {
        _server = await DashboardServer.StartAsync(null, "alpha");
        var origin = _server.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var blocked = new ConcurrentBag<string>();
        var served = new ConcurrentBag<string>();
        // The network is blocked: only the server's own origin answers; anything else is aborted and recorded.
        await context.RouteAsync("**/*", async route =>
        {
            var url = route.Request.Url;
            if (url.StartsWith(origin + "/", StringComparison.Ordinal))
            {
                served.Add(url);
                await route.ContinueAsync();
            }
            else
            {
                blocked.Add(url);
                await route.AbortAsync();
            }
        });
        var page = await context.NewPageAsync();
        var failed = new ConcurrentBag<string>();
        page.RequestFailed += (_, request) => failed.Add(request.Url);

        var response = await page.GotoAsync(origin + "/scalar/v1");
        Assert.Equal(200, response!.Status);
        // The page rendered the document it fetched from the server: the API's title and an operation's summary.
        await Expect(page.GetByText("Longhaul HTTP API").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Start an operation").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await DashboardServer.ScreenshotAsync(page, "api-reference");

        Assert.Contains(served, u => u.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        Assert.True(blocked.IsEmpty, "requests off the server: " + string.Join(", ", blocked));
        Assert.True(failed.IsEmpty, "failed requests: " + string.Join(", ", failed));
    }
}
