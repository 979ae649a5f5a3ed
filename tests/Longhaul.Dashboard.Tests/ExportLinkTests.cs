using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.Data.Sqlite;
using static Microsoft.Playwright.Assertions;

namespace Longhaul.Dashboard.Tests;

/// <summary>A finished export's detail view offers its signed download link, which works without the API key.</summary>
public sealed class ExportLinkTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private readonly string _source = Path.Combine(Path.GetTempPath(), "longhaul-tests", $"dashboard-export-{Guid.NewGuid():N}.db");
    private DashboardServer? _server;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        File.Delete(_source);
    }

    [Fact]
    public async Task FinishedExport_DetailView_LinksTheFileWhichDownloadsWithoutTheKey()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_source)!);
        await using (var connection = new SqliteConnection($"Data Source={_source};Pooling=False"))
        {
            await connection.OpenAsync(EndToEndEnvironment.Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
                INSERT INTO items VALUES (1, 'one'), (2, '=two'), (3, 'three, "quoted"');
                """;
            await create.ExecuteNonQueryAsync(EndToEndEnvironment.Ct);
        }
        _server = await DashboardServer.StartAsync(new Dictionary<string, string>
        {
            ["Longhaul__Export__Sources__lite__Provider"] = "sqlite",
            ["Longhaul__Export__Sources__lite__ConnectionString"] = $"Data Source={_source}",
            ["Longhaul__Export__Sources__lite__Tables__items__Key__0"] = "id",
        }, "alpha");
        var client = _server.ClientFor("alpha");
        var id = await DashboardServer.StartOperationAsync(client, new JsonObject
        {
            ["kind"] = "export",
            ["input"] = new JsonObject { ["source"] = "lite", ["table"] = "items", ["format"] = "csv" },
        });
        var done = await Eventually.ValueAsync(() => DashboardServer.GetJsonAsync(client, $"/v1/operations/{id}"), op => op["done"]!.GetValue<bool>(), TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());

        var page = await _server.SignedInPageAsync(browser.Browser, "alpha");
        await page.GotoAsync(new Uri(_server.Server.BaseAddress, "/ui/#/op/" + id).ToString());
        var link = page.Locator("a#download-link");
        await Expect(link).ToHaveTextAsync("Download export.csv");
        await Expect(page.Locator("section[aria-label='Download link']")).ToContainTextAsync("3 rows");
        await DashboardServer.ScreenshotAsync(page, "export-link");

        // The link as the page has it, fetched by a client that has no key.
        var href = await link.GetAttributeAsync("href");
        using var anonymous = new HttpClient();
        var bytes = await anonymous.GetByteArrayAsync(href, EndToEndEnvironment.Ct);
        Assert.Equal("id,name\r\n1,one\r\n2,'=two\r\n3,\"three, \"\"quoted\"\"\"\r\n", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(done["result"]!["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
