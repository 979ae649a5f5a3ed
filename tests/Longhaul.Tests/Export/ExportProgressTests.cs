using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Webhooks;

namespace Longhaul.Tests.Export;

/// <summary>Progress in rows with an estimated total first and the exact one at the end, the ETA the engine derives from it, and the completion callback.</summary>
public sealed class ExportProgressTests
{
    private const int Rows = 300_000;

    [Fact]
    public async Task Progress_RowsWithTotalAndEstimatedCompletion_DuringTheExport_ExactAtTheEnd()
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Export:Sources:main:Provider"] = "sqlite",
            ["Longhaul:Export:Sources:main:ConnectionString"] = $"Data Source={ExportRows.CreateSqlite(Rows)}",
            ["Longhaul:Export:Sources:main:Tables:items:Key:0"] = "id",
            ["Longhaul:Export:CheckpointBytes"] = "65536",
        });
        var id = (await host.Client.StartOperationOkAsync("export", new { source = "main", table = "items" })).Id();
        var done = await host.Client.WaitDoneAsync(id);
        Assert.True(done.Status() == "succeeded", done.ToString());

        using var stream = await SseClient.OpenAsync(host.Client, $"/v1/operations/{id}/events?after=0");
        var progress = (await stream.ReadToEndAsync()).Where(e => e.Type == "progress").Select(e => e.Data).ToList();
        Assert.True(progress.Count >= 4, string.Join("\n", progress));
        var first = progress[0].GetProperty("progress");
        Assert.Equal(0, first.GetProperty("current").GetInt64());
        Assert.Equal(Rows, first.GetProperty("total").GetInt64());
        Assert.Equal("rows", first.GetProperty("unit").GetString());
        var current = progress.Select(p => p.GetProperty("progress").GetProperty("current").GetInt64()).ToList();
        Assert.True(current.Zip(current.Skip(1)).All(p => p.Second > p.First), string.Join(",", current));
        // Every checkpoint between the first and the last carries the ETA the engine derived from the rate so far.
        var between = progress.Skip(1).SkipLast(1).ToList();
        Assert.NotEmpty(between);
        Assert.All(between, p => Assert.Equal(JsonValueKind.String, p.GetProperty("estimated_completion").ValueKind));
        var last = progress[^1].GetProperty("progress");
        Assert.Equal(Rows, last.GetProperty("current").GetInt64());
        Assert.Equal(Rows, last.GetProperty("total").GetInt64());
        Assert.Equal(100, last.GetProperty("percent").GetDouble());
    }

    [Fact]
    public async Task Callback_FinishedExport_PostsTheSucceededOperationWithTheExportResult()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var settings = WebhookHosts.Settings();
        settings["Longhaul:Export:Sources:main:Provider"] = "sqlite";
        settings["Longhaul:Export:Sources:main:ConnectionString"] = $"Data Source={ExportRows.CreateSqlite(100)}";
        settings["Longhaul:Export:Sources:main:Tables:items:Key:0"] = "id";
        await using var host = await TestHost.StartWithSettingsAsync(settings, WebhookHosts.Tenant);

        using var response = await host.Client.PostAsync("/v1/operations", Http.Json(new
        {
            kind = "export", input = new { source = "main", table = "items", format = "ndjson" }, callback_url = receiver.Url,
        }), Http.Ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var id = (await Http.ReadJsonAsync(response)).GetProperty("id").GetString()!;

        var request = await receiver.Nth(1);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("operation.succeeded", body.GetProperty("type").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(id, data.GetProperty("id").GetString());
        var result = data.GetProperty("result");
        Assert.Equal(100, result.GetProperty("row_count").GetInt64());
        Assert.Equal("ndjson", result.GetProperty("format").GetString());
        Assert.Equal("application/x-ndjson", result.GetProperty("content_type").GetString());
        var stored = (await host.Client.GetJsonAsync($"/v1/operations/{id}")).GetProperty("result");
        Assert.True(JsonElement.DeepEquals(stored, result), $"GET: {stored.GetRawText()}\ncallback: {result.GetRawText()}");

        // The link in the callback works without the API key.
        using var anonymous = host.CreateClient();
        var file = await anonymous.GetByteArrayAsync(result.GetProperty("download_url").GetString(), Http.Ct);
        Assert.Equal(result.GetProperty("bytes").GetInt64(), file.LongLength);
        Assert.Equal(result.GetProperty("sha256").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file)));
    }
}
