using System.Text;
using Longhaul.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Longhaul.Tests.Import;

/// <summary>
/// <c>on_error: fail</c> checks the file beside the load (ADR 30): the load's chunks wait in one held transaction until
/// the check has passed the whole file, so a bad row or record far into a file of many chunks still leaves nothing,
/// and a good file loads every row once.
/// </summary>
public sealed class ImportOverlappedCheckTests
{
    private const int Rows = 5_000;
    private const int ChunkRows = 100;

    [Theory]
    [InlineData(Rows + 1, "9,b,ten", "invalid_row", false)]
    [InlineData(Rows - 10, "9,\"never closed,1", "unbalanced_quote", false)]
    [InlineData(Rows + 1, "9,b,ten", "invalid_row", true)]
    public async Task Fail_BadRowInTheLastChunks_FailsWithItsLineAndLeavesNothing(long line, string bad, string code, bool allOrNothing)
    {
        await using var host = await ImportHost.StartAsync();

        var op = await host.ImportAsync(ImportHost.ItemsCsv(Rows, (int)line, bad), new() { ["chunk_rows"] = ChunkRows, ["all_or_nothing"] = allOrNothing });

        Assert.True(op.Status() == "failed", op.ToString());
        var error = op.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(line, error.GetProperty("details").GetProperty("line").GetInt64());
        Assert.Equal(0, await host.CountAsync());
        // The held chunks were rolled back with the import's position: it never moved past the header.
        Assert.Equal(Encoding.UTF8.GetByteCount("id,name,qty\n"), await host.ScalarAsync("SELECT byte_offset FROM longhaul_imports"));
    }

    [Fact]
    public async Task Fail_GoodFileOfManyChunks_LoadsEveryRowOnce()
    {
        await using var host = await ImportHost.StartAsync();
        var file = ImportHost.ItemsCsv(Rows);

        var op = await host.ImportAsync(file, new() { ["chunk_rows"] = ChunkRows });

        Assert.True(op.Status() == "succeeded", op.ToString());
        Assert.Equal(Rows, op.GetProperty("result").GetProperty("rows_inserted").GetInt64());
        Assert.Equal(Rows, await host.CountAsync());
        await using var connection = new SqliteConnection($"Data Source={host.Database}");
        await connection.OpenAsync(Http.Ct);
        await using var check = connection.CreateCommand();
        check.CommandText = "SELECT COUNT(DISTINCT id), MIN(id), MAX(id), SUM(id) FROM items";
        await using var reader = await check.ExecuteReaderAsync(Http.Ct);
        Assert.True(await reader.ReadAsync(Http.Ct));
        Assert.Equal((long)Rows, reader.GetInt64(0));
        Assert.Equal(1, reader.GetInt64(1));
        Assert.Equal((long)Rows, reader.GetInt64(2));
        Assert.Equal((long)Rows * (Rows + 1) / 2, reader.GetInt64(3));
        Assert.Equal(file.Length, await host.ScalarAsync("SELECT byte_offset FROM longhaul_imports"));
    }
}
