using System.Text.Json;
using Longhaul.Store.Tests.Postgres;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Export;

/// <summary>Many column types, NULLs and formula-like text, from SQLite and PostgreSQL, read back from Parquet by DuckDB and from NDJSON by System.Text.Json.</summary>
public sealed class ExportTypesTests
{
    private static Task<TestHost> StartAsync(string provider, string connectionString, string table) => TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
    {
        ["Longhaul:Export:Sources:main:Provider"] = provider,
        ["Longhaul:Export:Sources:main:ConnectionString"] = connectionString,
        [$"Longhaul:Export:Sources:main:Tables:{table}:Key:0"] = "id",
        // Small checkpoints: a Parquet file of several segments, each continued with the footer kept in the checkpoint.
        ["Longhaul:Export:CheckpointBytes"] = "4096",
    }, "acme");

    [Fact]
    public async Task Parquet_SqliteTypes_ReadBackByDuckDbWithTypesAndValues()
    {
        await using var host = await StartAsync("sqlite", $"Data Source={TypedRows.CreateSqlite()}", "typed");
        var path = await ExportToFileAsync(host, "typed", "parquet");

        var types = DuckDbReader.Types(path);
        Assert.Equal(["BIGINT", "BIGINT", "DOUBLE", "DOUBLE", "VARCHAR", "BOOLEAN", "TIMESTAMP", "BLOB"],
            new[] { "id", "qty", "ratio", "price", "label", "active", "seen_at", "raw" }.Select(c => types[c]));
        Assert.Null(SourceRows.Difference(TypedRows.Expected(postgres: false), DuckDbReader.Rows(path)));
        File.Delete(path);
    }

    [Fact]
    public async Task Parquet_PostgresTypes_ReadBackByDuckDbWithTypesAndValues()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        await TypedRows.CreatePostgresAsync(connectionString, schema);
        try
        {
            await using var host = await StartAsync("postgres", connectionString, $"{schema}.typed");
            var path = await ExportToFileAsync(host, $"{schema}.typed", "parquet");

            var types = DuckDbReader.Types(path);
            Assert.Equal(["BIGINT", "BIGINT", "DOUBLE", "DECIMAL(12,3)", "VARCHAR", "BOOLEAN", "TIMESTAMP", "BLOB", "INTEGER", "FLOAT", "TIMESTAMP WITH TIME ZONE", "DATE", "VARCHAR"],
                new[] { "id", "qty", "ratio", "price", "label", "active", "seen_at", "raw", "small", "single", "seen_tz", "day", "free" }.Select(c => types[c]));
            Assert.Null(SourceRows.Difference(TypedRows.Expected(postgres: true), DuckDbReader.Rows(path)));
            File.Delete(path);
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Ndjson_SqliteTypes_AreJsonNumbersBooleansStringsAndNulls_FormulasIntact()
    {
        await using var host = await StartAsync("sqlite", $"Data Source={TypedRows.CreateSqlite()}", "typed");
        var path = await ExportToFileAsync(host, "typed", "ndjson");
        var lines = await File.ReadAllLinesAsync(path, Http.Ct);
        Assert.Equal(TypedRows.Count, lines.Length);
        for (var i = 1; i <= TypedRows.Count; i++)
        {
            var row = JsonDocument.Parse(lines[i - 1]).RootElement;
            Assert.Equal(i, row.GetProperty("id").GetInt64());
            Assert.Equal(TypedRows.Qty(i), Nullable(row, "qty", e => e.GetInt64()));
            Assert.Equal(TypedRows.Ratio(i), Nullable(row, "ratio", e => e.GetDouble()));
            Assert.Equal(TypedRows.Label(i), row.GetProperty("label").GetString());
            Assert.Equal(TypedRows.Active(i) is { } a ? (a ? 1 : 0) : null, Nullable(row, "active", e => e.GetInt64()));
            Assert.Equal(TypedRows.Raw(i) is { } raw ? Convert.ToBase64String(raw) : null, row.GetProperty("raw").GetString());
        }
        File.Delete(path);
    }

    [Fact]
    public async Task Csv_PostgresTypes_AreInvariantTextAndFormulasEscaped()
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        await TypedRows.CreatePostgresAsync(connectionString, schema);
        try
        {
            await using var host = await StartAsync("postgres", connectionString, $"{schema}.typed");
            var path = await ExportToFileAsync(host, $"{schema}.typed", "csv", columns: ["id", "qty", "price", "label", "active", "seen_at", "seen_tz", "day", "free"]);
            var text = await File.ReadAllTextAsync(path, Http.Ct);
            Assert.StartsWith("id,qty,price,label,active,seen_at,seen_tz,day,free\r\n", text, StringComparison.Ordinal);
            // Row 1: qty -3000000007, price 1.260, label "+11" escaped, active false, times ISO 8601, free numeric exact.
            Assert.Contains("\r\n1,-3000000007,1.260,'+11,false,2026-01-01T01:00:07.1234560,2026-01-01T01:00:07.1234560Z,2025-10-03,124.4500\r\n", text, StringComparison.Ordinal);
            // Row 5: NULL qty, seen_at, seen_tz and free are empty fields; label "\rx5" escaped, and quoted for its CR.
            Assert.Contains("\r\n5,,6.260,\"'\rx5\",false,,,2025-10-07,\r\n", text, StringComparison.Ordinal);
            File.Delete(path);
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    private static T? Nullable<T>(JsonElement row, string name, Func<JsonElement, T> read) where T : struct
        => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : read(row.GetProperty(name));

    internal static async Task<string> ExportToFileAsync(TestHost host, string table, string format, string[]? columns = null)
    {
        var op = await host.Client.StartOperationOkAsync("export", new { source = "main", table, format, columns });
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.True(done.Status() == "succeeded", done.ToString());
        var path = Path.Combine(Path.GetTempPath(), "longhaul-tests", $"export-{Guid.NewGuid():N}.{format}");
        await File.WriteAllBytesAsync(path, await host.Client.GetByteArrayAsync(done.GetProperty("result").GetProperty("download_url").GetString(), Http.Ct), Http.Ct);
        return path;
    }
}
