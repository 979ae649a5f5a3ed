using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Longhaul.Tests.Export;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>longhaul export</c> and <c>longhaul download</c> against a real server: the saved file is the stored file, and reads back to the rows.</summary>
public sealed class CliExportTests : IAsyncDisposable
{
    private const int Rows = 2_000;
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static CancellationToken Ct => EndToEndEnvironment.Ct;

    [Fact]
    public async Task Export_SqliteTableToCsv_SavesTheStoredFileWhoseTextIsTheRows()
    {
        var source = ExportRows.CreateSqlite(Rows);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items"));

        var run = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "items", "-o", "items.csv");

        Assert.True(run.ExitCode == 0, run.Output + _env.Logs);
        var path = Path.Combine(_env.Root, "items.csv");
        var saved = run.Stdout.Split('\n')[^1].Split('\t');
        Assert.True(saved is ["saved", var p, _, _] && p == path, run.Output);
        Assert.Equal(ExportCli.ExpectedCsv(Rows), await File.ReadAllTextAsync(path, Ct));
        await AssertIsTheStoredFileAsync(server, run, path, "export.csv", saved[3]);
        Assert.False(File.Exists(path + ".part") || File.Exists(path + ".longhaul-export"), run.Output);
        File.Delete(source);
    }

    [Fact]
    public async Task Export_SqliteTableToParquetWithOutputJson_PrintsOneDocumentAndTheFileReadsBackToTheRows()
    {
        var source = ExportRows.CreateSqlite(Rows);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items"));

        var run = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "items", "--format", "parquet", "--output", "json");

        Assert.True(run.ExitCode == 0, run.Output + _env.Logs);
        // One JSON document on stdout, no progress there.
        var document = JsonNode.Parse(run.Stdout)!;
        var path = Path.Combine(_env.Root, "export.parquet");
        Assert.Equal(path, (string?)document["path"]);
        Assert.Equal(new FileInfo(path).Length, (long)document["bytes"]!);
        Assert.True((bool)document["verified"]!, run.Stdout);
        Assert.Equal($"OK {Rows}", DuckDbReader.CheckItems(path, Rows));
        var id = (string)document["operation"]!;
        Assert.Equal(ExportCli.Sha256(await server.Http.GetByteArrayAsync($"/v1/operations/{id}/files/export.parquet", Ct)), (string?)document["sha256"]);
        File.Delete(source);
    }

    [Fact]
    public async Task Export_PostgresTableToCsvAndParquet_SavesTheStoredFilesWhichReadBackToTheRows()
    {
        await using var schema = PostgresTestSchema.CreateOrSkip();
        await ExportRows.CreatePostgresAsync(schema.ConnectionString, schema.Name, Rows, Ct);
        var server = await _env.StartServerAsync(ExportCli.Source("postgres", schema.ConnectionString, $"{schema.Name}.items"));

        var csv = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", $"{schema.Name}.items", "-o", "pg.csv");
        var parquet = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", $"{schema.Name}.items", "--format", "parquet", "-o", "pg.parquet");

        Assert.True(csv.ExitCode == 0, csv.Output + _env.Logs);
        Assert.Equal(ExportCli.ExpectedCsv(Rows), await File.ReadAllTextAsync(Path.Combine(_env.Root, "pg.csv"), Ct));
        await AssertIsTheStoredFileAsync(server, csv, Path.Combine(_env.Root, "pg.csv"), "export.csv", csv.Stdout.Split('\n')[^1].Split('\t')[3]);
        Assert.True(parquet.ExitCode == 0, parquet.Output + _env.Logs);
        Assert.Equal($"OK {Rows}", DuckDbReader.CheckItems(Path.Combine(_env.Root, "pg.parquet"), Rows));
        await AssertIsTheStoredFileAsync(server, parquet, Path.Combine(_env.Root, "pg.parquet"), "export.parquet", parquet.Stdout.Split('\n')[^1].Split('\t')[3]);
    }

    [Fact]
    public async Task Export_FilterColumnsAndStdout_WritesTheFilteredColumnsToStdoutAndEverythingElseToStderr()
    {
        var source = ExportRows.CreateSqlite(Rows);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items"));

        // amount > 30 is a number; name != n20 a string.
        var run = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "items", "--columns", "id,amount",
            "--filter", "amount > 30", "--filter", "name != n20", "--filter", "id<=25", "--format", "ndjson", "-o", "-");

        Assert.True(run.ExitCode == 0, run.Output + _env.Logs);
        var expected = Enumerable.Range(11, 15).Where(i => i != 20).Select(i => $"{{\"id\":{i},\"amount\":{i * 3}}}");
        Assert.Equal(expected, run.Stdout.Split('\n'));
        Assert.Contains("succeeded", run.Stderr, StringComparison.Ordinal);
        File.Delete(source);
    }

    [Fact]
    public async Task Export_NamedQueryWithParams_TypesTheValuesAsTheQueryDeclares()
    {
        var source = ExportRows.CreateSqlite(Rows);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items",
            ("Longhaul__Export__Sources__main__Queries__above__Sql", "SELECT id, name FROM items WHERE id > @min AND name <> @skip"),
            ("Longhaul__Export__Sources__main__Queries__above__Key__0", "id"),
            ("Longhaul__Export__Sources__main__Queries__above__Parameters__min__Type", "integer"),
            ("Longhaul__Export__Sources__main__Queries__above__Parameters__skip__Type", "string")));

        // min=1995 is sent as a number (the integer parameter takes it), skip=n1997 as a string, and "1999" quoted as the
        // string 1999; min="1995" quoted is a string, which the integer parameter refuses (422 naming it).
        var run = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--query", "above", "--param", "min=1995",
            "--param", "skip=n1997", "--filter", "name != \"1999\"", "--format", "ndjson", "-o", "-");
        var wrongType = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--query", "above", "--param", "min=\"1995\"",
            "--param", "skip=x", "-o", "-");

        Assert.True(run.ExitCode == 0, run.Output + _env.Logs);
        Assert.Equal(new[] { 1996, 1998, 1999, 2000 }.Select(i => $"{{\"id\":{i},\"name\":\"n{i}\"}}"), run.Stdout.Split('\n'));
        Assert.True(wrongType.ExitCode == 2 && wrongType.Stderr.Contains("input.parameters.min", StringComparison.Ordinal), wrongType.Output);
        File.Delete(source);
    }

    [Fact]
    public async Task Export_UnknownSourceOrTableOrBadFilter_PrintsTheProblemAndExitsWithTheUsageCode()
    {
        var source = ExportRows.CreateSqlite(10);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items"));

        var noSource = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "nope", "--table", "items");
        var noTable = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "secrets", "-o", "t.csv");
        var badFilter = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "items", "--filter", "id ~ 3");
        var both = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "items", "--query", "q");

        Assert.True(noSource.ExitCode == 2 && noSource.Stderr.Contains("422 validation_failed", StringComparison.Ordinal) && noSource.Stderr.Contains("input.source", StringComparison.Ordinal), noSource.Output);
        Assert.True(noTable.ExitCode == 2 && noTable.Stderr.Contains("input.table", StringComparison.Ordinal), noTable.Output);
        Assert.True(badFilter.ExitCode == 2 && badFilter.Stderr.Contains("--filter 'id ~ 3'", StringComparison.Ordinal), badFilter.Output);
        Assert.True(both.ExitCode == 2 && both.Stderr.Contains("--table or --query", StringComparison.Ordinal), both.Output);
        Assert.False(File.Exists(Path.Combine(_env.Root, "export.csv")) || File.Exists(Path.Combine(_env.Root, "t.csv")));
        // Nothing was started.
        Assert.Empty((await _env.GetJsonAsync(server, "/v1/operations"))["operations"]!.AsArray());
        File.Delete(source);
    }

    [Fact]
    public async Task Export_ExistingFile_IsRefusedUnlessForce()
    {
        var source = ExportRows.CreateSqlite(10);
        var server = await _env.StartServerAsync(ExportCli.Source("sqlite", $"Data Source={source}", "items"));
        var path = Path.Combine(_env.Root, "export.csv");
        await File.WriteAllTextAsync(path, "mine", Ct);

        var refused = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "items");
        Assert.True(refused.ExitCode == 2 && refused.Stderr.Contains("--force", StringComparison.Ordinal), refused.Output);
        Assert.Equal("mine", await File.ReadAllTextAsync(path, Ct));

        var forced = await _env.RunAsync(ExportCli.Client(server), "export", "--source", "main", "--table", "items", "--force");
        Assert.True(forced.ExitCode == 0, forced.Output);
        Assert.Equal(ExportCli.ExpectedCsv(10), await File.ReadAllTextAsync(path, Ct));
        File.Delete(source);
    }

    private async Task AssertIsTheStoredFileAsync(LonghaulServerProcess server, LonghaulProcess run, string path, string name, string printedSha256)
    {
        var id = run.Stderr.Split('\n').First(l => l.StartsWith("Started ", StringComparison.Ordinal))["Started ".Length..].Trim();
        var op = await _env.GetJsonAsync(server, $"/v1/operations/{id}");
        var stored = await server.Http.GetByteArrayAsync($"/v1/operations/{id}/files/{name}", Ct);
        var sha256 = ExportCli.Sha256(stored);
        Assert.Equal(sha256, ExportCli.Sha256(path));
        Assert.Equal(sha256, (string?)op["result"]!["sha256"]);
        Assert.Equal(sha256, printedSha256);
    }
}
