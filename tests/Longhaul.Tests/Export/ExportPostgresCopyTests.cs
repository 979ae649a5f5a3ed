using Longhaul.Store.Tests.Postgres;
using Longhaul.Tests.Infrastructure;
using Npgsql;

namespace Longhaul.Tests.Export;

/// <summary>CSV from PostgreSQL through COPY (the fast path) is byte for byte what the general path writes.</summary>
public sealed class ExportPostgresCopyTests
{
    private static readonly string?[] Notes = ["", null, "\\.", "=1+1", "+x", "-5", "@a", "\tx", "\rx", "a,b", "say \"hi\"", "line1\nline2", "cr\rlf\r\n", "é☃ 𝄞", " lead", "trail ", "\"", "'", "=a,b", "-\"q\"", "+\n", "\r", "@", "=", "\t", "\"\"", ",", "x,", ",="];

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Csv_CopyPath_EqualsTheGeneralPathByteForByte(bool escapeFormulas, bool filtered)
    {
        var connectionString = PostgresTestDatabase.ConnectionStringOrSkip();
        var schema = PostgresTestDatabase.NewSchemaName();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Http.Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = $"""
                CREATE SCHEMA "{schema}";
                CREATE TABLE "{schema}".notes (id bigint PRIMARY KEY, n integer, s smallint, note text, label varchar(20));
                """;
            await create.ExecuteNonQueryAsync(Http.Ct);
            for (var i = 0; i < 1200; i++)
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = $"INSERT INTO \"{schema}\".notes VALUES (@id, @n, @s, @note, @label)";
                insert.Parameters.AddWithValue("id", (long)i * 7 - 9000);
                insert.Parameters.AddWithValue("n", i % 11 == 0 ? DBNull.Value : i * -13);
                insert.Parameters.AddWithValue("s", (short)(i % 300));
                insert.Parameters.AddWithValue("note", (object?)Notes[i % Notes.Length] ?? DBNull.Value);
                insert.Parameters.AddWithValue("label", (object?)Notes[(i / 3) % Notes.Length] is string l && l.Length <= 20 ? l : DBNull.Value);
                await insert.ExecuteNonQueryAsync(Http.Ct);
            }
        }
        try
        {
            var input = new
            {
                source = "main", table = $"{schema}.notes", format = "csv", escape_formulas = escapeFormulas,
                filter = filtered ? new object[] { new { column = "s", op = "<", value = 150 }, new { column = "id", op = ">=", value = -8000 } } : null,
            };
            var copy = await ExportAsync(connectionString, schema, postgresCopy: true, input);
            var general = await ExportAsync(connectionString, schema, postgresCopy: false, input);
            Assert.True(copy.Length > 1000);
            Assert.Equal(System.Text.Encoding.UTF8.GetString(general), System.Text.Encoding.UTF8.GetString(copy));
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema, CancellationToken.None);
        }
    }

    private static async Task<byte[]> ExportAsync(string connectionString, string schema, bool postgresCopy, object input)
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Export:Sources:main:Provider"] = "postgres",
            ["Longhaul:Export:Sources:main:ConnectionString"] = connectionString,
            [$"Longhaul:Export:Sources:main:Tables:{schema}.notes:Key:0"] = "id",
            ["Longhaul:Export:PostgresCopy"] = postgresCopy ? "true" : "false",
            ["Longhaul:Export:CheckpointBytes"] = "4096",
        });
        var op = await host.Client.StartOperationOkAsync("export", input);
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.True(done.Status() == "succeeded", done.ToString());
        return await host.Client.GetByteArrayAsync(done.GetProperty("result").GetProperty("download_url").GetString(), Http.Ct);
    }
}
