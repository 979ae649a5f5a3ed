using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Longhaul.Dashboard.Tests;

/// <summary>The dashboard used with the keyboard only (no mouse, no clicks), and its honest error states.</summary>
public sealed class KeyboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private const int MaxTabs = 80;
    private DashboardServer? _server;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private static JsonObject Sleep(double seconds, int steps) => new()
    {
        ["kind"] = "sleep",
        ["input"] = new JsonObject { ["seconds"] = seconds, ["steps"] = steps },
    };

    /// <summary>What has the focus: tag, id, data-focus, aria-label and text, and whether a focus ring is drawn.</summary>
    private static async Task<FocusInfo> FocusAsync(IPage page)
    {
        var e = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
        () => {
          const e = document.activeElement;
          const style = e ? getComputedStyle(e) : null;
          return {
            tag: e ? e.tagName.toLowerCase() : '',
            id: e?.id || '',
            label: e?.getAttribute('aria-label') || '',
            text: (e?.textContent || '').trim().slice(0, 80),
            row: e?.closest('tr[data-id]')?.dataset.id || '',
            ring: !!style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          };
        }
        """);
        return new FocusInfo(e.GetProperty("tag").GetString()!, e.GetProperty("id").GetString()!, e.GetProperty("label").GetString()!,
            e.GetProperty("text").GetString()!, e.GetProperty("row").GetString()!, e.GetProperty("ring").GetBoolean());
    }

    /// <summary>Presses Tab until <paramref name="match"/> holds for the focused element (at most <see cref="MaxTabs"/> times).</summary>
    private static async Task<FocusInfo> TabToAsync(IPage page, Func<FocusInfo, bool> match, string what, string key = "Tab")
    {
        var seen = new List<string>();
        for (var i = 0; i < MaxTabs; i++)
        {
            await page.Keyboard.PressAsync(key);
            var focus = await FocusAsync(page);
            seen.Add(focus.ToString());
            if (match(focus)) return focus;
        }
        throw new Xunit.Sdk.XunitException($"{key} never reached {what}; focus went:\n" + string.Join("\n", seen));
    }

    [Fact]
    public async Task Keyboard_SignInTabToARowOpenItCancelAndDelete_WithVisibleFocusAndEscapeClosingTheDialog()
    {
        var server = _server = await DashboardServer.StartAsync(null, "alpha");
        var client = server.ClientFor("alpha");
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server.Server.BaseAddress, "/ui/").ToString());

        // Sign in: the key field has the focus; typing and Enter submit the form.
        Assert.Equal("api-key", (await FocusAsync(page)).Id);
        await page.Keyboard.TypeAsync(server.Keys["alpha"]);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#ops")).ToBeVisibleAsync();
        var id = await DashboardServer.StartOperationAsync(client, Sleep(3600, 3600));
        var row = page.Locator($"tr[data-id='{id}']");
        await Expect(row).ToBeVisibleAsync();

        // Tab through the page into the table: every stop has a visible focus ring.
        var link = await TabToAsync(page, f => f.Tag == "a" && f.Row == id, "the operation's link");
        Assert.True(link.Ring, $"No visible focus ring on {link}");
        var cancel = await TabToAsync(page, f => f.Row == id && f.Tag == "button", "the row's Cancel button");
        Assert.Equal("Cancel " + id, cancel.Label);
        Assert.True(cancel.Ring, $"No visible focus ring on {cancel}");

        // Live updates replace the row every second: the focus stays on its button.
        var before = await row.Locator("progress").EvaluateAsync<double>("p => Number(p.value)");
        await page.WaitForFunctionAsync("([id, v]) => Number(document.querySelector(`tr[data-id=\"${id}\"] progress`)?.value) > v", new object[] { id, before });
        Assert.Equal("Cancel " + id, (await FocusAsync(page)).Label);

        // Back to the link, Enter opens the detail view; the focus lands at the top of the new view.
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("a", (await FocusAsync(page)).Tag);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#detail-status")).ToHaveTextAsync("running");
        Assert.Equal("main", (await FocusAsync(page)).Id);
        await DashboardServer.ScreenshotAsync(page, "keyboard-detail");

        // Space on Cancel cancels; once the button is gone the focus is on the new status, not lost to the page.
        var detailCancel = await TabToAsync(page, f => f.Id == "cancel", "the detail's Cancel button");
        Assert.True(detailCancel.Ring, $"No visible focus ring on {detailCancel}");
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Locator("#detail-status")).ToHaveTextAsync("cancelled");
        await Expect(page.Locator("#detail-status")).ToBeFocusedAsync();

        // Delete asks in a dialog: the focus starts on "Keep", Escape closes it and nothing is deleted.
        await TabToAsync(page, f => f.Id == "delete", "the Delete button");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.Locator("dialog.confirm");
        await Expect(dialog).ToBeVisibleAsync();
        Assert.Equal("Keep", (await FocusAsync(page)).Text);
        await DashboardServer.ScreenshotAsync(page, "keyboard-confirm-dialog");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("#delete")).ToBeFocusedAsync();
        Assert.Equal("cancelled", (await DashboardServer.GetJsonAsync(client, $"/v1/operations/{id}"))["status"]!.GetValue<string>());

        // Enter again, Tab to the action inside the dialog, Enter: deleted, back on the list.
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        var confirm = await TabToAsync(page, f => f.Text == "Delete" && f.Id != "delete", "the dialog's Delete button");
        Assert.True(confirm.Ring, $"No visible focus ring on {confirm}");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#ops")).ToBeVisibleAsync();
        await Expect(page.Locator("#ops-body")).ToContainTextAsync("No operations yet");
        using var gone = await client.GetAsync($"/v1/operations/{id}", EndToEndEnvironment.Ct);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        await context.DisposeAsync();
    }

    [Fact]
    public async Task RevokedKey_WhileSignedIn_GoesBackToSignInWithTheReason()
    {
        var server = _server = await DashboardServer.StartAsync(null, "alpha");
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        await Expect(page.Locator("#ops-body")).ToContainTextAsync("No operations yet");

        await server.RevokeAsync("alpha");
        await page.Locator("#apply-filters").PressAsync("Enter");

        await Expect(page.Locator("form.sign-in .error")).ToContainTextAsync("401", new() { Timeout = 60_000 });
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('longhaul.api_key')"));
        await Expect(page.Locator("#api-key")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task ServerGone_ShowsTheBannerAndTheListSaysSo_ThenRecoversWhenItAnswersAgain()
    {
        var server = _server = await DashboardServer.StartAsync(null, "alpha");
        var page = await server.SignedInPageAsync(browser.Browser, "alpha");
        await Expect(page.Locator("#ops-body")).ToContainTextAsync("No operations yet");

        await server.StopServerAsync();
        await page.Locator("#apply-filters").PressAsync("Enter");

        await Expect(page.Locator("#banner")).ToContainTextAsync("cannot be reached");
        await Expect(page.Locator(".list-state")).ToContainTextAsync("cannot be reached");
        await DashboardServer.ScreenshotAsync(page, "server-unreachable");

        await server.RestartServerAsync();
        var id = await DashboardServer.StartOperationAsync(server.ClientFor("alpha"), Sleep(3600, 3600));
        await page.Locator("#apply-filters").PressAsync("Enter");
        await Expect(page.Locator($"tr[data-id='{id}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#banner")).ToBeHiddenAsync();
    }

    /// <summary>The focused element, as <see cref="FocusAsync"/> reads it.</summary>
    public sealed record FocusInfo(string Tag, string Id, string Label, string Text, string Row, bool Ring);
}
