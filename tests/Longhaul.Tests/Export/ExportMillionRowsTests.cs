using System.Security.Cryptography;
using System.Text.Json;
using Longhaul.Store.Tests.Postgres;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Export;

/// <summary>1,000,000 rows of SQLite and PostgreSQL tables exported and read back by Python through the key-less link.</summary>
public sealed class ExportMillionRowsTests
{
    private const int Rows = 1_000_000;

    [Fact]
    public async Task SqliteTable_Csv_ParsesBackToTheSourceRows()
    {
        var source = ExportRows.CreateSqlite(Rows);
        await ExportAndCheckAsync("sqlite", $"Data Source={source}", "items", "csv", gzip: false);
        File.Delete(source);
    }

    [Fact]
    public async Task SqliteTable_Ndjson_ParsesBackToTheSourceRows()
    {
        var source = ExportRows.CreateSqlite(Rows);
        await ExportAndCheckAsync("sqlite", $"Data Source={source}", "items", "ndjson", gzip: false);
        File.Delete(source);
    }

    [Fact]
    public async Task SqliteTable_Parquet_ReadsBackInDuckDbToTheSourceRows()
    {
        var source = ExportRows.CreateSqlite(Rows);
        await ExportAndCheckAsync("sqlite", $"Data Source={source}", "items", "parquet", gzip: false);
        File.Delete(source);
    }

    [Fact]
    public Task PostgresTable_Parquet_ReadsBackInDuckDbToTheSourceRows() => ExportPostgresAndCheckAsync("parquet", gzip: false);

    [Fact]
    public Task PostgresTable_Csv_ParsesBackToTheSourceRows() => ExportPostgresAndCheckAsync("csv", gzip: false);

    [Fact]
    public Task PostgresTable_CsvGzip_ParsesBackToTheSourceRows() => ExportPostgresAndCheckAsync("csv", gzip: true);

    [Fact]
    public Task PostgresTable_Ndjson_ParsesBackToTheSourceRows() => ExportPostgresAndCheckAsync("ndjson", gzip: false);

    private static async Task ExportPostgresAndCheckAsync(string format, bool gzip)
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        await ExportRows.CreatePostgresAsync(connectionString, schema, Rows, Http.Ct);
        try
        {
            await ExportAndCheckAsync("postgres", connectionString, $"{schema}.items", format, gzip);
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    private static async Task ExportAndCheckAsync(string provider, string connectionString, string table, string format, bool gzip)
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Export:Sources:main:Provider"] = provider,
            ["Longhaul:Export:Sources:main:ConnectionString"] = connectionString,
            [$"Longhaul:Export:Sources:main:Tables:{table}:Key:0"] = "id",
        }, "acme");
        var op = await host.Client.StartOperationOkAsync("export", new { source = "main", table, format, gzip });
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.True(done.Status() == "succeeded", done.ToString());
        var result = done.GetProperty("result");
        Assert.Equal(Rows, result.GetProperty("row_count").GetInt64());
        Assert.Equal(format, result.GetProperty("format").GetString());

        // The link works without an API key.
        using var anonymous = host.CreateClient();
        var path = Path.Combine(Path.GetTempPath(), "longhaul-tests", $"export-{Guid.NewGuid():N}");
        await using (var file = File.Create(path))
        {
            using var response = await anonymous.GetAsync(result.GetProperty("download_url").GetString(), HttpCompletionOption.ResponseHeadersRead, Http.Ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(result.GetProperty("content_type").GetString(), response.Content.Headers.ContentType!.ToString());
            await response.Content.CopyToAsync(file, Http.Ct);
        }
        var bytes = await File.ReadAllBytesAsync(path, Http.Ct);
        Assert.Equal(result.GetProperty("bytes").GetInt64(), bytes.LongLength);
        Assert.Equal(result.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal($"OK {Rows}", format == "parquet" ? DuckDbReader.CheckItems(path, Rows) : await PythonReader.CheckAsync(path, format, Rows, gzip));
        File.Delete(path);
    }
}
