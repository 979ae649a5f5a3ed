using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Npgsql;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Multi-node on PostgreSQL: a file uploaded with tus to API node 1 is imported by a worker-only node (the bytes come
/// from the store), while API node 2 streams the import's progress; the table equals the file.
/// </summary>
public sealed class PostgresImportNodesTests : PostgresNodesTest
{
    private const int Rows = 50_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Upload_ToApiNode1_ImportedByWorker_ProgressWatchedOnApiNode2()
    {
        var ct = EndToEndEnvironment.Ct;
        CreateSchema();
        var target = new NpgsqlConnectionStringBuilder(Schema.ConnectionString) { SearchPath = Schema.Name }.ConnectionString;
        var file = Path.Combine(Env.Root, "items.csv");
        var expected = ImportSource.Write(file, Rows);
        var environment = Schema.Environment(
            ("Longhaul__Import__Targets__main__Provider", "postgres"),
            ("Longhaul__Import__Targets__main__ConnectionString", target),
            ("Longhaul__Import__Targets__main__Tables__0", "items"));
        var api1 = await Env.StartNodeAsync(environment, "--role", "api");
        await using (var connection = new NpgsqlConnection(target))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand(ImportSource.PostgresTable, connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        var api2 = await Env.StartNodeAsync(environment, "--role", "api", "--no-migrate");

        var upload = await TusUploadAsync(api1, await File.ReadAllBytesAsync(file, ct));
        var start = $$$"""{"kind":"import","input":{"upload":"{{{upload}}}","target":"main","table":"items","chunk_rows":1000}}""";
        string id;
        using (var response = await api1.Http.PostAsync("/v1/operations", new StringContent(start, Encoding.UTF8, "application/json"), ct))
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
            id = JsonNode.Parse(text)!["id"]!.GetValue<string>();
        }
        await using var events = await SseStream.OpenAsync(api2.Http, $"/v1/operations/{id}/events?after=0", null, ct);
        // Nothing runs it until a worker starts: the whole import happens while node 2 watches.
        var worker = await Env.StartNodeAsync(environment, "--role", "worker", "--no-migrate");
        var all = await events.ReadToEndAsync(Timeout, ct);

        var progress = all.Where(e => e.Type == "progress").Select(e => e.ProgressCurrent!.Value).ToList();
        Assert.True(progress.Count >= 10, $"{progress.Count} progress events\n{Env.Logs}");
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second >= p.First), string.Join(",", progress));
        var op = await Env.GetJsonAsync(api2, $"/v1/operations/{id}");
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", $"{op.ToJsonString()}\n{Env.Logs}");
        Assert.NotNull(op["progress"]!["message"]);
        var (loaded, distinct, sha) = await ImportSource.ReadPostgresAsync(target, ct);
        Assert.Equal((Rows, Rows, expected), (loaded, distinct, sha));
        Assert.False(worker.Process.HasExited, Env.Logs);
    }

    /// <summary>Creates the upload and sends it in two PATCHes with sha1 checksums; returns its id.</summary>
    private static async Task<string> TusUploadAsync(LonghaulServerProcess api, byte[] data)
    {
        var ct = EndToEndEnvironment.Ct;
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/uploads");
        create.Headers.Add("Tus-Resumable", "1.0.0");
        create.Headers.Add("Upload-Length", data.Length.ToString(CultureInfo.InvariantCulture));
        using var created = await api.Http.SendAsync(create, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = created.Headers.Location!.ToString();
        var half = data.Length / 2;
        foreach (var (offset, piece) in new[] { (0, data[..half]), (half, data[half..]) })
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new ByteArrayContent(piece) };
            patch.Headers.Add("Tus-Resumable", "1.0.0");
            patch.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
#pragma warning disable CA5350 // tus's checksum extension names sha1: it detects corrupted transfers, it does not authenticate.
            patch.Headers.Add("Upload-Checksum", "sha1 " + Convert.ToBase64String(SHA1.HashData(piece)));
#pragma warning restore CA5350
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            using var patched = await api.Http.SendAsync(patch, ct);
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        }
        return url.Split('/')[^1];
    }
}
