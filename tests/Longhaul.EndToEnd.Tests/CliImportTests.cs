using System.Globalization;
using System.Security.Cryptography;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.Data.Sqlite;

namespace Longhaul.EndToEnd.Tests;

/// <summary><c>longhaul upload</c> resumes after a SIGKILL; <c>longhaul import FILE</c> uploads, imports and follows to the end.</summary>
public sealed class CliImportTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static CancellationToken Ct => EndToEndEnvironment.Ct;

    [Fact]
    public async Task Upload_SigkilledAfterAPieceAndRunAgain_ResumesAndTheBytesMatch()
    {
        var server = await _env.StartServerAsync();
        var file = Path.Combine(_env.Root, "data.bin");
        var data = RandomNumberGenerator.GetBytes(40 * 1024 * 1024);
        await File.WriteAllBytesAsync(file, data, Ct);
        var environment = new Dictionary<string, string> { ["LONGHAUL_URL"] = server.BaseAddress.ToString() };

        var first = _env.Start(environment, "upload", file);
        await first.WaitForLineAsync(l => l.StartsWith("uploaded ", StringComparison.Ordinal) && Sent(l) > 0, TimeSpan.FromSeconds(60), Ct);
        first.Kill();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(File.Exists(file + ".longhaul-upload"), first.Output);

        var second = await _env.RunAsync(environment, "upload", file);

        Assert.True(second.ExitCode == 0, second.Output);
        var resumedFrom = Sent(second.Stderr.Split('\n').First(l => l.StartsWith("uploaded ", StringComparison.Ordinal)));
        Assert.True(resumedFrom > 0, second.Output);
        var (id, url) = (second.Stdout.Split('\t')[0].Trim(), second.Stdout.Split('\t')[1].Trim());
        Assert.StartsWith("up_", id, StringComparison.Ordinal);
        Assert.Equal(data, await server.Http.GetByteArrayAsync(url + "/content", Ct));
        Assert.False(File.Exists(file + ".longhaul-upload"));
    }

    [Fact]
    public async Task Import_File_UploadsStartsAndFollowsToSucceeded()
    {
        var database = Path.Combine(_env.Root, "target.db");
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync(Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = ImportSource.SqliteTable;
            await create.ExecuteNonQueryAsync(Ct);
        }
        var server = await _env.StartServerAsync(new Dictionary<string, string>
        {
            ["Longhaul__Import__Targets__main__Provider"] = "sqlite",
            ["Longhaul__Import__Targets__main__ConnectionString"] = $"Data Source={database}",
            ["Longhaul__Import__Targets__main__Tables__0"] = "items",
        });
        var file = Path.Combine(_env.Root, "items.csv");
        var expected = ImportSource.Write(file, 20_000);

        var run = await _env.RunAsync(new Dictionary<string, string> { ["LONGHAUL_URL"] = server.BaseAddress.ToString() },
            "import", file, "--target", "main", "--table", "items", "--chunk-rows", "1000");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("succeeded", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"rows_inserted\":20000", run.Stdout, StringComparison.Ordinal);
        Assert.Equal((20_000L, 20_000L, expected), await ImportSource.ReadSqliteAsync(database, Ct));
    }

    private static long Sent(string line) => long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
}
