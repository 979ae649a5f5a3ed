using System.Text.Json;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Export;

/// <summary>The export input against the operator's allow-list (422s, never SQL from the client), filters and CSV escaping.</summary>
public sealed class ExportInputTests
{
    private static Task<TestHost> StartAsync() => TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
    {
        ["Longhaul:Export:Sources:main:Provider"] = "sqlite",
        ["Longhaul:Export:Sources:main:ConnectionString"] = $"Data Source={ExportRows.CreateSqlite(30)}",
        ["Longhaul:Export:Sources:main:Tables:items:Key:0"] = "id",
        ["Longhaul:Export:Sources:main:Tables:items:Columns:0"] = "id",
        ["Longhaul:Export:Sources:main:Tables:items:Columns:1"] = "note",
    });

    public static TheoryData<string, string> BadInputs => new()
    {
        { """{"source":"nope","table":"items"}""", "input.source" },
        { """{"source":"main","table":"sqlite_master"}""", "input.table" },
        { """{"source":"main","table":"items","columns":["name"]}""", "input.columns[0]" },
        { """{"source":"main","table":"items","columns":["id; DROP TABLE items"]}""", "input.columns[0]" },
        { """{"source":"main","table":"items","filter":[{"column":"amount","op":"=","value":3}]}""", "input.filter[0].column" },
        { """{"source":"main","table":"items","filter":[{"column":"id","op":"= 1 OR 1 =","value":3}]}""", "input.filter[0].op" },
        { """{"source":"main","table":"items","filter":[{"column":"id","op":"=","value":[1]}]}""", "input.filter[0].value" },
        { """{"source":"main","table":"items","format":"xlsx"}""", "input.format" },
        { """{"source":"main","table":"items","resume":"never"}""", "input.resume" },
        { """{"source":"main","table":"items","expires_in_seconds":5}""", "input.expires_in_seconds" },
        { """{"source":"main","table":"items","expires_in_seconds":31000000}""", "input.expires_in_seconds" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Start_InputOutsideTheAllowList_Answers422WithTheField(string input, string field)
    {
        await using var host = await StartAsync();
        using var response = await host.Client.PostAsync("/v1/operations", Http.Json($$"""{"kind":"export","input":{{input}}}"""), Http.Ct);
        await Http.AssertProblemAsync(response, 422, "validation_failed", field);
    }

    [Fact]
    public async Task Csv_FilteredRows_AreEscapedAgainstFormulasByDefault()
    {
        await using var host = await StartAsync();
        var csv = await ExportTextAsync(host, new { source = "main", table = "items", filter = new object[] { new { column = "id", op = "<=", value = 7 }, new { column = "id", op = "!=", value = 6 } } });
        Assert.Equal("id,note\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"line1\nline2\"\r\n4,'-5\r\n5,\r\n7,'=SUM(A1)\r\n", csv);
    }

    [Fact]
    public async Task Csv_EscapingOff_LeavesFormulasIntact()
    {
        await using var host = await StartAsync();
        var csv = await ExportTextAsync(host, new { source = "main", table = "items", escape_formulas = false, filter = new object[] { new { column = "id", op = "=", value = 7 } } });
        Assert.Equal("id,note\r\n7,=SUM(A1)\r\n", csv);
    }

    [Fact]
    public async Task Ndjson_FormulaCells_AreLeftIntact()
    {
        await using var host = await StartAsync();
        var text = await ExportTextAsync(host, new { source = "main", table = "items", format = "ndjson", filter = new object[] { new { column = "id", op = ">=", value = 27 }, new { column = "id", op = "<", value = 29 } } });
        Assert.Equal("{\"id\":27,\"note\":\"@x\"}\n{\"id\":28,\"note\":\"=SUM(A1)\"}\n", text);
    }

    private static async Task<string> ExportTextAsync(TestHost host, object input)
    {
        var op = await host.Client.StartOperationOkAsync("export", input);
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.True(done.Status() == "succeeded", done.ToString());
        return await host.Client.GetStringAsync(done.GetProperty("result").GetProperty("download_url").GetString(), Http.Ct);
    }
}
