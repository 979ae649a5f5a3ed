using Microsoft.Playwright;

namespace Longhaul.Dashboard.Tests;

/// <summary>One headless Debian chromium per test class, driven by Playwright (never <c>playwright install</c>).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"No {ChromiumPath}: install Debian's chromium (apt-get install -y chromium), as .ci/run does.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
