using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// The real <c>longhaul</c> binary SIGKILLed at random points of a CSV import, then restarted, until the import is done:
/// the table equals the file (rows, distinct ids, checksum over all rows). CI runs 100,000 rows and 3 kills;
/// <c>LONGHAUL_IMPORT_CHAOS_ROWS</c> and <c>LONGHAUL_IMPORT_CHAOS_KILLS</c> set the full run (docs/import.md).
/// </summary>
public sealed class ImportCrashTests : IAsyncDisposable
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(120);
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static int Setting(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    [Fact]
    public async Task Import_IntoSqlite_SigkilledAtRandomPoints_TableEqualsTheFileWithNoDuplicate()
    {
        var path = Path.Combine(_env.Root, "target.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(EndToEndEnvironment.Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = ImportSource.SqliteTable;
            await create.ExecuteNonQueryAsync(EndToEndEnvironment.Ct);
        }
        await KillAndCheckAsync("sqlite", $"Data Source={path}", () => ImportSource.ReadSqliteAsync(path, EndToEndEnvironment.Ct));
    }

    [Fact]
    public async Task Import_IntoPostgres_SigkilledAtRandomPoints_TableEqualsTheFileWithNoDuplicate()
    {
        await using var schema = PostgresTestSchema.CreateOrSkip();
        var connectionString = new NpgsqlConnectionStringBuilder(schema.ConnectionString) { SearchPath = schema.Name }.ConnectionString;
        await using (var connection = new NpgsqlConnection(schema.ConnectionString))
        {
            await connection.OpenAsync(EndToEndEnvironment.Ct);
            await using var create = new NpgsqlCommand($"CREATE SCHEMA \"{schema.Name}\"; SET search_path TO \"{schema.Name}\"; {ImportSource.PostgresTable}", connection);
            await create.ExecuteNonQueryAsync(EndToEndEnvironment.Ct);
        }
        await KillAndCheckAsync("postgres", connectionString, () => ImportSource.ReadPostgresAsync(connectionString, EndToEndEnvironment.Ct));
    }

    private async Task KillAndCheckAsync(string provider, string connectionString, Func<Task<(long Rows, long Distinct, string Sha256)>> read)
    {
        var ct = EndToEndEnvironment.Ct;
        var rows = Setting("LONGHAUL_IMPORT_CHAOS_ROWS", 100_000);
        var kills = Setting("LONGHAUL_IMPORT_CHAOS_KILLS", 3);
        var file = Path.Combine(_env.Root, "items.csv");
        var expected = ImportSource.Write(file, rows);
        var length = new FileInfo(file).Length;
        var environment = new Dictionary<string, string>
        {
            ["Longhaul__Import__Targets__main__Provider"] = provider,
            ["Longhaul__Import__Targets__main__ConnectionString"] = connectionString,
            ["Longhaul__Import__Targets__main__Tables__0"] = "items",
        };

        var server = await _env.StartServerAsync(environment);
        string upload;
        await using (var body = File.OpenRead(file))
        using (var put = await server.Http.PutAsync("/v1/uploads", new StreamContent(body), ct))
        {
            var text = await put.Content.ReadAsStringAsync(ct);
            Assert.True(put.StatusCode == HttpStatusCode.Created, text);
            upload = JsonNode.Parse(text)!["id"]!.GetValue<string>();
        }
        // Small chunks: many commits to crash between (and inside).
        var chunkRows = Math.Max(rows / 200, 100);
        var start = $$$"""{"kind":"import","options":{"max_attempts":100},"input":{"upload":"{{{upload}}}","target":"main","table":"items","chunk_rows":{{{chunkRows}}}}}""";
        var id = await _env.StartOperationAsync(server, start);

        var random = new Random(Setting("LONGHAUL_IMPORT_CHAOS_SEED", Environment.TickCount));
        var points = Enumerable.Range(0, kills).Select(_ => (long)(length * (0.05 + 0.9 * random.NextDouble()))).Order().ToList();
        var killedAt = new List<long>();
        foreach (var point in points)
        {
            await using (var events = await SseStream.OpenAsync(server.Http, $"/v1/operations/{id}/events?after=0", null, ct))
            {
                var seen = await events.ReadUntilAsync(e => e.ProgressCurrent >= point || e.Type == "done", EventTimeout, ct);
                server.Process.Kill();
                if (seen.Type == "done") break;
                killedAt.Add(seen.ProgressCurrent!.Value);
            }
            await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), ct);
            server = await _env.StartServerAsync(environment);
        }
        if (server.Process.HasExited) server = await _env.StartServerAsync(environment);

        var op = await _env.WaitUntilDoneAsync(server, id, TimeSpan.FromMinutes(10));
        var message = $"kills at bytes {string.Join(", ", killedAt)} of {length}\n{op.ToJsonString()}\n{_env.Logs}";
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", message);
        Assert.Equal(rows, op["result"]!["rows_inserted"]!.GetValue<long>());
        var (loaded, distinct, sha) = await read();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"import chaos ({provider}): {rows} rows, {killedAt.Count} SIGKILLs at bytes {string.Join(", ", killedAt)} of {length}; table {loaded} rows, {distinct} distinct ids, checksum {(sha == expected ? "equal" : "DIFFERENT")}");
        Assert.True(killedAt.Count >= Math.Min(kills, 1), message);
        Assert.Equal(rows, loaded);
        Assert.True(rows == distinct, $"{distinct} distinct ids of {rows}\n{message}");
        Assert.Equal(expected, sha);
    }
}
