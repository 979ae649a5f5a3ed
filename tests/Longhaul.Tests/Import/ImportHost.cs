using System.Net;
using System.Text;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Longhaul.Tests.Import;

/// <summary>A server with one SQLite import target (<c>items(id INTEGER, name TEXT, qty INTEGER)</c>) and helpers to upload and import.</summary>
internal sealed class ImportHost : IAsyncDisposable
{
    private ImportHost(TestHost host, string database)
    {
        Host = host;
        Database = database;
    }

    public TestHost Host { get; }

    public string Database { get; }

    public static async Task<ImportHost> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var database = Path.Combine(Path.GetTempPath(), "longhaul-tests", $"import-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync(Http.Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE items (id INTEGER NOT NULL, name TEXT, qty INTEGER); CREATE TABLE docs (id INTEGER, body TEXT, at TEXT)";
            await create.ExecuteNonQueryAsync(Http.Ct);
        }
        var settings = new Dictionary<string, string?>
        {
            ["Longhaul:Import:Targets:main:Provider"] = "sqlite",
            ["Longhaul:Import:Targets:main:ConnectionString"] = $"Data Source={database}",
            ["Longhaul:Import:Targets:main:Tables:0"] = "items",
            ["Longhaul:Import:Targets:main:Tables:1"] = "docs",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        return new ImportHost(await TestHost.StartWithSettingsAsync(settings, "acme"), database);
    }

    public async Task<string> UploadAsync(byte[] content)
    {
        using var response = await Host.Client.PutAsync("/v1/uploads", new ByteArrayContent(content), Http.Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Http.ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    /// <summary>Uploads <paramref name="content"/>, imports it into <c>items</c> with <paramref name="input"/>'s extra members, and returns the finished operation.</summary>
    public async Task<JsonElement> ImportAsync(byte[] content, Dictionary<string, object?>? input = null, string table = "items")
    {
        var body = new Dictionary<string, object?> { ["upload"] = await UploadAsync(content), ["target"] = "main", ["table"] = table };
        foreach (var (key, value) in input ?? []) body[key] = value;
        var op = await Host.Client.StartOperationOkAsync("import", body);
        return await Host.Client.WaitDoneAsync(op.Id());
    }

    public Task<long> CountAsync(string table = "items") => ScalarAsync($"SELECT COUNT(*) FROM {table}");

    /// <summary>The one integer <paramref name="sql"/> selects from the target database.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync(Http.Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(Http.Ct))!;
    }

    /// <summary>
    /// A CSV file for <c>items</c>: the header <c>id,name,qty</c>, then row i as <c>i,ni,i%100</c> for i = 1..<paramref name="rows"/>;
    /// with <paramref name="badLine"/>, that line (the header is line 1) holds <paramref name="bad"/> instead.
    /// </summary>
    public static byte[] ItemsCsv(int rows, int badLine = 0, string bad = "")
    {
        var text = new StringBuilder("id,name,qty\n");
        for (var i = 1; i <= rows; i++)
        {
            if (i + 1 == badLine) text.Append(bad).Append('\n');
            else text.Append(i).Append(",n").Append(i).Append(',').Append(i % 100).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
