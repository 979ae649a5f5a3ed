using Longhaul.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Longhaul.Tests.Export;

/// <summary>Named queries: the operator's SQL with typed parameters the client fills in, validated (422 with field paths) and always bound as parameters.</summary>
public sealed class ExportNamedQueryTests
{
    private const string Sql = "SELECT id, name, amount, note FROM items WHERE amount >= @min_amount AND (@name_like IS NULL OR name LIKE @name_like)";

    private static Task<TestHost> StartAsync(string source) => TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
    {
        ["Longhaul:Export:Sources:main:Provider"] = "sqlite",
        ["Longhaul:Export:Sources:main:ConnectionString"] = $"Data Source={source}",
        ["Longhaul:Export:Sources:main:Queries:big_items:Sql"] = Sql,
        ["Longhaul:Export:Sources:main:Queries:big_items:Key:0"] = "id",
        ["Longhaul:Export:Sources:main:Queries:big_items:Parameters:min_amount:Type"] = "integer",
        ["Longhaul:Export:Sources:main:Queries:big_items:Parameters:name_like:Type"] = "string",
        ["Longhaul:Export:Sources:main:Queries:big_items:Parameters:name_like:Required"] = "false",
    });

    [Fact]
    public async Task NamedQuery_WithParameters_ExportsItsRowsInKeyOrder()
    {
        await using var host = await StartAsync(ExportRows.CreateSqlite(40));
        var text = await ExportTextAsync(host, new { source = "main", query = "big_items", parameters = new { min_amount = 60, name_like = "n2%" }, columns = new[] { "id", "amount" }, format = "ndjson" });
        var expected = string.Concat(Enumerable.Range(20, 10).Select(i => $"{{\"id\":{i},\"amount\":{3 * i}}}\n"));
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task NamedQuery_OptionalParameterLeftOut_IsNull_AndColumnFiltersApply()
    {
        await using var host = await StartAsync(ExportRows.CreateSqlite(40));
        var text = await ExportTextAsync(host, new
        {
            source = "main", query = "big_items", parameters = new { min_amount = 105 }, columns = new[] { "id", "note" },
            filter = new object[] { new { column = "id", op = "!=", value = 37 } },
        });
        Assert.Equal("id,note\r\n35,'=SUM(A1)\r\n36,\"a,b\"\r\n38,\"line1\nline2\"\r\n39,'-5\r\n40,\r\n", text);
    }

    [Fact]
    public async Task NamedQuery_HostileStringValue_IsBoundAsAValueNotSql()
    {
        var source = ExportRows.CreateSqlite(10);
        await using var host = await StartAsync(source);
        var text = await ExportTextAsync(host, new { source = "main", query = "big_items", parameters = new { min_amount = 0, name_like = "x' OR 1=1; DROP TABLE items; --" }, format = "ndjson" });
        Assert.Equal("", text);
        await using var connection = new SqliteConnection($"Data Source={source};Pooling=False");
        await connection.OpenAsync(Http.Ct);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM items";
        Assert.Equal(10L, await count.ExecuteScalarAsync(Http.Ct));
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"source":"main","query":"nope"}""", "input.query" },
        { """{"source":"main","query":"big_items"}""", "input.parameters.min_amount" },
        { """{"source":"main","query":"big_items","parameters":{"min_amount":"5"}}""", "input.parameters.min_amount" },
        { """{"source":"main","query":"big_items","parameters":{"min_amount":1.5}}""", "input.parameters.min_amount" },
        { """{"source":"main","query":"big_items","parameters":{"min_amount":null}}""", "input.parameters.min_amount" },
        { """{"source":"main","query":"big_items","parameters":{"min_amount":1,"name_like":7}}""", "input.parameters.name_like" },
        { """{"source":"main","query":"big_items","parameters":{"min_amount":1,"bogus":1}}""", "input.parameters.bogus" },
        { """{"source":"main","query":"big_items","parameters":[1]}""", "input.parameters" },
        { """{"source":"main","query":"big_items","table":"items","parameters":{"min_amount":1}}""", "input.table" },
        { """{"source":"main"}""", "input.table" },
        { """{"source":"main","query":"big_items","parameters":{"min_amount":1},"columns":["secret"]}""", "input.columns[0]" },
        { """{"source":"main","query":"big_items","parameters":{"min_amount":1},"format":"parquet","gzip":true}""", "input.gzip" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Start_BadQueryOrParameters_Answers422WithTheField(string input, string field)
    {
        await using var host = await StartAsync(ExportRows.CreateSqlite(5));
        using var response = await host.Client.PostAsync("/v1/operations", Http.Json($$"""{"kind":"export","input":{{input}}}"""), Http.Ct);
        await Http.AssertProblemAsync(response, 422, "validation_failed", field);
    }

    private static async Task<string> ExportTextAsync(TestHost host, object input)
    {
        var op = await host.Client.StartOperationOkAsync("export", input);
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.True(done.Status() == "succeeded", done.ToString());
        return await host.Client.GetStringAsync(done.GetProperty("result").GetProperty("download_url").GetString(), Http.Ct);
    }
}
