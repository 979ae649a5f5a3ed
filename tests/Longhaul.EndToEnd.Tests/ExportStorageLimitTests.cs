using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Longhaul.Tests.Export;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Files written by an in-process kind (here <c>export</c>) count against the tenant's stored bytes like uploads and remote
/// workers' files: past <c>MaxStoredBytes</c> the operation fails with <c>storage_limit_exceeded</c>, not retried, and
/// the chunk past the limit is not stored.
/// </summary>
public sealed class ExportStorageLimitTests : IAsyncDisposable
{
    private const int Rows = 100_000;
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task Export_PastMaxStoredBytes_FailsWithStorageLimitExceeded_NothingPastTheLimitStored()
    {
        var ct = EndToEndEnvironment.Ct;
        var source = ExportRows.CreateSqlite(Rows);
        var server = await _env.StartServerAsync(new Dictionary<string, string>
        {
            ["Longhaul__Export__Sources__main__Provider"] = "sqlite",
            ["Longhaul__Export__Sources__main__ConnectionString"] = $"Data Source={source}",
            ["Longhaul__Export__Sources__main__Tables__items__Key__0"] = "id",
            // Far below the export's first 1 MiB chunk.
            ["Longhaul__Tenants__Defaults__MaxStoredBytes"] = "100000",
        });
        string id;
        using (var response = await server.Http.PostAsync("/v1/operations",
            new StringContent("""{"kind":"export","input":{"source":"main","table":"items","format":"csv"}}""", Encoding.UTF8, "application/json"), ct))
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
            id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        }

        var op = await _env.WaitUntilDoneAsync(server, id, TimeSpan.FromSeconds(60));
        var message = $"{op.ToJsonString()}\n{_env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "failed", message);
        Assert.True(op["error"]!["code"]!.GetValue<string>() == "storage_limit_exceeded", message);
        Assert.True(op["attempt"]!.GetValue<int>() == 1, message);
        var usage = await _env.GetJsonAsync(server, "/v1/usage");
        Assert.True(usage["stored_bytes"]!.GetValue<long>() <= 100_000, usage.ToJsonString());
        // The refused chunk is counted once on /metrics (meter Longhaul.Limits); the rows never kept are not exported rows.
        using var scrape = await server.Http.GetAsync("/metrics", ct);
        var metrics = PrometheusText.Parse(await scrape.Content.ReadAsStringAsync(ct));
        Assert.Equal(1, metrics.Sum("longhaul_limits_refusals_total", ("limit", "max_stored_bytes")));
        Assert.Equal(0, metrics.Sum("longhaul_export_rows_total"));
        File.Delete(source);
    }
}
