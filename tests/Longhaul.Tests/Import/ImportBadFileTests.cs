using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Import;

/// <summary>Every bad-file case of issue 14 fails with its code and the right line, and leaves the table empty unless <c>skip</c> says otherwise.</summary>
public sealed class ImportBadFileTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static TheoryData<string, byte[], string, long> FailingFiles => new()
    {
        { "empty", [], "empty_file", 1 },
        { "bom only", [0xEF, 0xBB, 0xBF], "empty_file", 1 },
        { "unbalanced quote", Bytes("id,name,qty\n1,a,1\n2,\"never closed,2\n3,c,3\n"), "unbalanced_quote", 3 },
        { "over-long line", Bytes("id,name,qty\n1,a,1\n2,b,2\n3," + new string('x', 3000) + ",3\n"), "record_too_long", 4 },
        { "nul byte", Bytes("id,name,qty\n1,a,1\n2,b\0,2\n"), "invalid_row", 3 },
        { "invalid utf-8", [.. Bytes("id,name,qty\n1,"), 0xC3, 0x28, .. Bytes(",1\n")], "invalid_row", 2 },
        { "ragged row", Bytes("id,name,qty\n1,a,1\n2,b\n3,c,3\n"), "invalid_row", 3 },
        { "header not matching", Bytes("id,title,qty\n1,a,1\n"), "header_mismatch", 1 },
        { "bad value after a multi-line field", Bytes("id,name,qty\n1,\"two\nlines\",1\n2,b,ten\n"), "invalid_row", 4 },
        { "bare carriage return", Bytes("id,name,qty\n1,a,1\r2,b,2\n"), "bare_carriage_return", 2 },
    };

    [Theory]
    [MemberData(nameof(FailingFiles))]
    public async Task Import_BadFile_FailsWithItsCodeAndLineAndImportsNothing(string name, byte[] content, string code, long line)
    {
        await using var host = await ImportHost.StartAsync(new Dictionary<string, string?> { ["Longhaul:Import:MaxRecordBytes"] = "2048" });

        var op = await host.ImportAsync(content);

        Assert.True(op.Status() == "failed", $"{name}: {op}");
        var error = op.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(line, error.GetProperty("details").GetProperty("line").GetInt64());
        Assert.Contains($"ine {line}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync());
    }

    [Fact]
    public async Task Import_BomAndBlankLines_AreAcceptedAndPassedOver()
    {
        await using var host = await ImportHost.StartAsync();

        var op = await host.ImportAsync([0xEF, 0xBB, 0xBF, .. Bytes("id,name,qty\r\n1,a,1\r\n\r\n2,\"b, \"\"q\"\"\",\r\n")]);

        Assert.True(op.Status() == "succeeded", op.ToString());
        Assert.Equal(2, op.GetProperty("result").GetProperty("rows_inserted").GetInt64());
        Assert.Equal(2, await host.CountAsync());
    }

    [Fact]
    public async Task Import_SkipBadRows_LoadsTheOthersAndReportsEachWithLineColumnAndReason()
    {
        await using var host = await ImportHost.StartAsync();
        var content = Bytes("id,name,qty\n1,a,1\n2,b,ten\n3,c\n4,d\0,4\n5,e,5\n");

        var op = await host.ImportAsync(content, new() { ["on_error"] = "skip", ["max_errors"] = 10 });

        Assert.True(op.Status() == "succeeded", op.ToString());
        var result = op.GetProperty("result");
        Assert.Equal(2, result.GetProperty("rows_inserted").GetInt64());
        Assert.Equal(3, result.GetProperty("rows_skipped").GetInt64());
        var report = await host.Host.Client.GetStringAsync(result.GetProperty("error_report_url").GetString(), Http.Ct);
        var lines = report.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,column,reason", lines[0]);
        Assert.StartsWith("3,qty,'ten' is not a 64-bit integer", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("4,,the row has 2 fields", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("5,,the row holds a NUL byte", lines[3], StringComparison.Ordinal);
        Assert.Equal(2, await host.CountAsync());
    }

    [Fact]
    public async Task Import_SkipPastMaxErrors_FailsTooManyErrors()
    {
        await using var host = await ImportHost.StartAsync();

        var op = await host.ImportAsync(Bytes("id,name,qty\n1,a,x\n2,b,y\n3,c,z\n"), new() { ["on_error"] = "skip", ["max_errors"] = 2 });

        Assert.True(op.Status() == "failed", op.ToString());
        Assert.Equal("too_many_errors", op.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Import_GzipFile_IsNotDecompressedAndFails()
    {
        await using var host = await ImportHost.StartAsync();
        using var packed = new MemoryStream();
        await using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(new byte[10_000_000]);

        var op = await host.ImportAsync(packed.ToArray());

        Assert.True(op.Status() == "failed", op.ToString());
        Assert.Equal(0, await host.CountAsync());
    }

    [Fact]
    public async Task Import_Ndjson_MapsMembersAndReportsABadLineByNumber()
    {
        await using var host = await ImportHost.StartAsync();
        var good = Bytes("{\"id\":1,\"name\":\"a\",\"qty\":1}\n{\"id\":2,\"name\":null,\"extra\":[1,2]}\n");

        var ok = await host.ImportAsync(good, new() { ["format"] = "ndjson" });
        Assert.True(ok.Status() == "succeeded", ok.ToString());
        Assert.Equal(2, ok.GetProperty("result").GetProperty("rows_inserted").GetInt64());

        var bad = await host.ImportAsync(Bytes("{\"id\":3,\"qty\":3}\n{\"id\":4,\"qty\":\"four\"}\n"), new() { ["format"] = "ndjson" });
        Assert.True(bad.Status() == "failed", bad.ToString());
        Assert.Equal(2, bad.GetProperty("error").GetProperty("details").GetProperty("line").GetInt64());
        Assert.Equal("qty", bad.GetProperty("error").GetProperty("details").GetProperty("column").GetString());
        Assert.Equal(2, await host.CountAsync());
    }

    [Fact]
    public async Task Import_HeaderlessCsvWithDelimiterAndMapping_LoadsByColumnNumber()
    {
        await using var host = await ImportHost.StartAsync();

        var op = await host.ImportAsync(Bytes("x;7;1\ny;8;2\n"), new()
        {
            ["csv"] = new { header = false, delimiter = ";" },
            ["mapping"] = new Dictionary<string, string> { ["3"] = "id", ["1"] = "name", ["2"] = "qty" },
        });

        Assert.True(op.Status() == "succeeded", op.ToString());
        Assert.Equal(2, await host.CountAsync());
    }

    [Fact]
    public async Task Start_UnknownTargetTableColumnUploadOrADeclaredEncoding_Answers422NamingTheField()
    {
        await using var host = await ImportHost.StartAsync();
        var upload = await host.UploadAsync(Bytes("id\n1\n"));

        foreach (var (input, field) in new (object Input, string Field)[]
        {
            (new { upload, target = "nope", table = "items" }, "input.target"),
            (new { upload, target = "main", table = "secrets" }, "input.table"),
            (new { upload, target = "main", table = "items", mapping = new Dictionary<string, string> { ["id"] = "missing" } }, "input.mapping.id"),
            (new { upload = "nope", target = "main", table = "items" }, "input.upload"),
            (new { upload, target = "main", table = "items", chunk_rows = 0 }, "input.chunk_rows"),
            // Only UTF-8 is read: a declared encoding is no member of the input, refused before anything runs.
            (new { upload, target = "main", table = "items", encoding = "latin1" }, "input.encoding"),
        })
        {
            using var response = await host.Host.Client.StartOperationAsync("import", input);
            var problem = await Http.AssertProblemAsync(response, 422, "validation_failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
        }
    }
}
