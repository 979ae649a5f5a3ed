using System.Text;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Import;

/// <summary>Cancel stops after the current chunk and keeps the committed ones, or with all_or_nothing leaves the table as it was.</summary>
public sealed class ImportCancelTests
{
    private const int Rows = 300_000;
    private const int ChunkRows = 500;

    private static async Task<JsonElement> StartAndCancelMidwayAsync(ImportHost host, bool allOrNothing)
    {
        var upload = await host.UploadAsync(ImportHost.ItemsCsv(Rows));
        var op = await host.Host.Client.StartOperationOkAsync("import",
            new { upload, target = "main", table = "items", chunk_rows = ChunkRows, on_error = "skip", all_or_nothing = allOrNothing });
        // Polled: the first committed chunk is observable only on the resource.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            var now = await host.Host.Client.GetJsonAsync($"/v1/operations/{op.Id()}");
            if (now.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object && p.GetProperty("current").GetInt64() > 0) break;
            Assert.True(DateTimeOffset.UtcNow < deadline && !now.GetProperty("done").GetBoolean(), now.ToString());
            await Task.Delay(20, Http.Ct); // Pacing between probes, not a wait for state.
        }
        using var cancel = await host.Host.Client.PostAsync($"/v1/operations/{op.Id()}/cancel", null, Http.Ct);
        return await host.Host.Client.WaitDoneAsync(op.Id());
    }

    [Fact]
    public async Task Cancel_MidImport_StopsAfterTheCurrentChunkAndKeepsTheCommittedChunks()
    {
        await using var host = await ImportHost.StartAsync();

        var done = await StartAndCancelMidwayAsync(host, allOrNothing: false);

        Assert.True(done.Status() == "cancelled", done.ToString());
        var count = await host.CountAsync();
        Assert.InRange(count, ChunkRows, Rows - 1);
        Assert.Equal(0, count % ChunkRows);
        Assert.Equal(count, await host.ScalarAsync($"SELECT rows_inserted FROM longhaul_imports WHERE operation_id = '{done.Id()}'"));
    }

    [Fact]
    public async Task Cancel_AllOrNothing_LeavesTheTableAsItWasAndDropsTheStagingTable()
    {
        await using var host = await ImportHost.StartAsync();

        var done = await StartAndCancelMidwayAsync(host, allOrNothing: true);

        Assert.True(done.Status() == "cancelled", done.ToString());
        Assert.Equal(0, await host.CountAsync());
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'longhaul_stage_%'"));
    }

    [Fact]
    public async Task AllOrNothing_Finished_AddsEveryRowAtTheEndAndDropsTheStagingTable()
    {
        await using var host = await ImportHost.StartAsync();

        var op = await host.ImportAsync(Encoding.UTF8.GetBytes("id,name,qty\n1,a,1\n2,b,2\n"), new() { ["all_or_nothing"] = true });

        Assert.True(op.Status() == "succeeded", op.ToString());
        Assert.Equal(2, await host.CountAsync());
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'longhaul_stage_%'"));
    }

    [Fact]
    public async Task AllOrNothing_RefusedByTheTableAtTheEnd_FailsAddsNothingAndDropsTheStagingTable()
    {
        await using var host = await ImportHost.StartAsync();
        var upload = await host.UploadAsync(Encoding.UTF8.GetBytes("id,name,qty\n1,a,1\n,b,2\n"));

        // The second row has no id: the staging table takes it, the table's NOT NULL refuses it at the end.
        var op = await host.Host.Client.StartOperationOkAsync("import", new { upload, target = "main", table = "items", all_or_nothing = true });
        var done = await host.Host.Client.WaitDoneAsync(op.Id());

        Assert.True(done.Status() == "failed", done.ToString());
        Assert.Equal(0, await host.CountAsync());
        Assert.Equal(0, await host.ScalarAsync("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'longhaul_stage_%'"));
    }
}
