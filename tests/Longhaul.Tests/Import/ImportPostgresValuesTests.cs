using System.Globalization;
using System.Text;
using Longhaul.Store.Tests.Postgres;
using Longhaul.Tests.Infrastructure;
using Npgsql;

namespace Longhaul.Tests.Import;

/// <summary>
/// Every column type the import loads into PostgreSQL, text of every width (multi-byte, quoted, multi-line) in chunks
/// whose text outgrows the batch's first arena and that are read in several 1 MiB pieces (ADR 32): the table equals
/// what PostgreSQL's own <c>COPY … (FORMAT csv)</c> makes of the same file, in both <c>on_error</c> modes.
/// </summary>
public sealed class ImportPostgresValuesTests
{
    private const int Rows = 10_000;
    private const int ChunkRows = 4_000;

    private const string Columns = "id bigint PRIMARY KEY, s smallint, i integer, r real, d double precision, n numeric(12,4), b boolean, day date, at timestamp, atz timestamptz, u uuid, j jsonb, js json, t text, v varchar(300)";

    private static readonly string[] Texts = ["", "plain", "é☃ 𝄞 ü", "a,b", "say \"hi\"", "line1\nline2", " lead", "trail ", "\\N", "NULL", "=SUM(A1)"];

    private static byte[] File()
    {
        var csv = new StringBuilder("id,s,i,r,d,n,b,day,at,atz,u,j,js,t,v\n");
        for (var k = 1; k <= Rows; k++)
        {
            var text = Texts[k % Texts.Length];
            // Wide rows (about 400 bytes): a chunk of 4,000 rows is more than 1 MiB (two pieces) and holds far more text than 64 Ki characters.
            var wide = string.Concat(Enumerable.Repeat(text.Length == 0 ? "x" : text, 1 + (k % 60)));
            string Cell(string value) => value.AsSpan().IndexOfAny(",\"\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            csv.Append(CultureInfo.InvariantCulture, $"{k},{(k % 9 == 0 ? "" : (k % 30000 - 15000).ToString(CultureInfo.InvariantCulture))},{k * -7919},{k % 64}.5,{k}.125,{k}.{k % 10000:D4},{(k % 3 == 0 ? "true" : k % 3 == 1 ? "f" : "")},");
            csv.Append(CultureInfo.InvariantCulture, $"2026-{1 + k % 12:D2}-{1 + k % 28:D2},2026-03-04T05:06:{k % 60:D2}.{k % 1000:D3},2026-03-04T05:06:07{(k % 2 == 0 ? "+02:00" : "Z")},");
            csv.Append(CultureInfo.InvariantCulture, $"{new Guid(k, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)},{Cell($"{{\"k\": {k}, \"t\": \"{(text.Contains('"') || text.Contains('\n') || text.Contains('\\') ? "q" : text)}\"}}")},{Cell($"[{k}, null]")},");
            csv.Append(Cell(wide)).Append(',').Append(k % 5 == 0 ? "" : Cell(text)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("skip")]
    public async Task Import_EveryTypeAndWidthOfText_EqualsPostgresOwnCsvCopy(string onError)
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        var file = File();
        Assert.True((long)file.Length * ChunkRows / Rows > 1024 * 1024, $"{file.Length} bytes");
        // The oracle session reads timestamps without an offset as UTC, as the import does.
        var utc = new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "UTC" }.ConnectionString;
        await using (var connection = new NpgsqlConnection(utc))
        {
            await connection.OpenAsync(Http.Ct);
            await using (var create = connection.CreateCommand())
            {
                create.CommandText = $"""CREATE SCHEMA "{schema}"; CREATE TABLE "{schema}".items ({Columns}); CREATE TABLE "{schema}".expected ({Columns});""";
                await create.ExecuteNonQueryAsync(Http.Ct);
            }
            await using var copy = await connection.BeginTextImportAsync($"""COPY "{schema}".expected FROM STDIN (FORMAT csv, HEADER)""", Http.Ct);
            await copy.WriteAsync(Encoding.UTF8.GetString(file));
        }
        try
        {
            var target = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
            await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
            {
                ["Longhaul:Import:Targets:pg:Provider"] = "postgres",
                ["Longhaul:Import:Targets:pg:ConnectionString"] = target,
                ["Longhaul:Import:Targets:pg:Tables:0"] = "items",
            }, "acme");
            using var put = await host.Client.PutAsync("/v1/uploads", new ByteArrayContent(file), Http.Ct);
            var upload = (await Http.ReadJsonAsync(put)).GetProperty("id").GetString();

            var op = await host.Client.StartOperationOkAsync("import", new { upload, target = "pg", table = "items", on_error = onError, chunk_rows = ChunkRows });
            var done = await host.Client.WaitDoneAsync(op.Id());

            Assert.True(done.Status() == "succeeded", done.ToString());
            Assert.Equal(Rows, done.GetProperty("result").GetProperty("rows_inserted").GetInt64());
            await using var connection = new NpgsqlConnection(utc);
            await connection.OpenAsync(Http.Ct);
            await using var compare = connection.CreateCommand();
            // jsonb compares by value; json has no equality: compared as its text.
            const string Row = "id, s, i, r, d, n, b, day, at, atz, u, j, js::text, t, v";
            compare.CommandText = $"""
                SELECT (SELECT count(*) FROM "{schema}".items),
                       (SELECT count(*) FROM (SELECT {Row} FROM "{schema}".items EXCEPT SELECT {Row} FROM "{schema}".expected) AS extra),
                       (SELECT count(*) FROM (SELECT {Row} FROM "{schema}".expected EXCEPT SELECT {Row} FROM "{schema}".items) AS missing)
                """;
            await using var reader = await compare.ExecuteReaderAsync(Http.Ct);
            Assert.True(await reader.ReadAsync(Http.Ct));
            Assert.Equal((Rows, 0L, 0L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }
}
