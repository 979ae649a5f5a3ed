using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;
using Longhaul.Tests.Export;
using Microsoft.Data.Sqlite;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// The meters of the capabilities that landed after observability, scraped from the real binary's <c>/metrics</c>:
/// <c>Longhaul.Import</c> (a tus upload and an import with bad rows skipped), <c>Longhaul.Export</c> (an export's rows and
/// bytes, its signed link answered 200 and, tampered, 403; the PostgreSQL COPY path), <c>Longhaul.Limits</c> (refusals).
/// Every figure is exact: it fails if the counting is removed, moved to a place passed twice, or counts per call site.
/// </summary>
public sealed class CapabilityMetricsTests : IAsyncDisposable
{
    private static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    private static CancellationToken Ct => EndToEndEnvironment.Ct;

    [Fact]
    public async Task Import_TusUploadInTwoPatches_CsvWithBadRowsSkipped_ThenOnErrorFailAndAllOrNothing_LoadedRejectedAndBytesExact()
    {
        var path = Path.Combine(_env.Root, "target.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE items (id INTEGER NOT NULL, name TEXT NOT NULL, qty INTEGER)";
            await create.ExecuteNonQueryAsync(Ct);
        }
        var server = await _env.StartServerAsync(new Dictionary<string, string>
        {
            ["Longhaul__Import__Targets__main__Provider"] = "sqlite",
            ["Longhaul__Import__Targets__main__ConnectionString"] = $"Data Source={path}",
            ["Longhaul__Import__Targets__main__Tables__0"] = "items",
        });
        // Seven rows, three with a qty that is not an integer; chunks of two rows, so the counts add up over chunks.
        var csv = Encoding.UTF8.GetBytes("id,name,qty\n1,a,5\n2,b,x\n3,c,7\n4,d,y\n5,e,9\n6,f,z\n7,g,11\n");
        var upload = await TusUploadAsync(server, csv, csv.Length / 2);

        var id = await StartAsync(server, $$$"""{"kind":"import","input":{"upload":"{{{upload}}}","target":"main","table":"items","on_error":"skip","chunk_rows":2}}""");
        var op = await _env.WaitUntilDoneAsync(server, id, DoneTimeout);
        var result = Succeeded(op);
        Assert.Equal(4, result["rows_inserted"]!.GetValue<long>());
        Assert.Equal(3, result["rows_skipped"]!.GetValue<long>());

        var metrics = await ScrapeAsync(server);
        (string, string)[] labels = [("format", "csv"), ("target", "main")];
        Equal(metrics, 4, "longhaul_import_rows_total", [.. labels, ("outcome", "loaded")]);
        Equal(metrics, 3, "longhaul_import_rows_total", [.. labels, ("outcome", "rejected")]);
        Equal(metrics, 7, "longhaul_import_rows_total");
        // Every byte of the upload once: the header when the import finishes, the records as their chunks commit.
        Equal(metrics, result["bytes"]!.GetValue<long>(), "longhaul_import_bytes_total", labels);
        Equal(metrics, csv.Length, "longhaul_import_bytes_total");
        Equal(metrics, csv.Length, "longhaul_uploads_received_bytes_total", ("http_request_method", "PATCH"));
        Equal(metrics, csv.Length, "longhaul_uploads_received_bytes_total");
        Equal(metrics, 1, "longhaul_uploads_completed_total");

        // A good file twice more, by PUT: on_error fail (chunks held until the check passed) and all_or_nothing (staged
        // until the finish): each counts its rows once, when they are in the table.
        var good = Encoding.UTF8.GetBytes("id,name,qty\n10,a,1\n11,b,2\n12,c,3\n13,d,4\n14,e,5\n");
        foreach (var mode in new[] { "", ",\"all_or_nothing\":true" })
        {
            string uploaded;
            using (var put = await server.Http.PutAsync("/v1/uploads", new ByteArrayContent(good), Ct))
                uploaded = JsonNode.Parse(await put.Content.ReadAsStringAsync(Ct))!["id"]!.GetValue<string>();
            var next = await StartAsync(server, $$$"""{"kind":"import","input":{"upload":"{{{uploaded}}}","target":"main","table":"items","chunk_rows":2{{{mode}}}}}""");
            Assert.Equal(5, Succeeded(await _env.WaitUntilDoneAsync(server, next, DoneTimeout))["rows_inserted"]!.GetValue<long>());
        }
        metrics = await ScrapeAsync(server);
        Equal(metrics, 14, "longhaul_import_rows_total", [.. labels, ("outcome", "loaded")]);
        Equal(metrics, 3, "longhaul_import_rows_total", [.. labels, ("outcome", "rejected")]);
        Equal(metrics, csv.Length + 2 * good.Length, "longhaul_import_bytes_total", labels);
        Equal(metrics, 2 * good.Length, "longhaul_uploads_received_bytes_total", ("http_request_method", "PUT"));
        Equal(metrics, 3, "longhaul_uploads_completed_total");
        AssertOperatorSeriesExported(metrics, "longhaul_import_", "longhaul_uploads_");
    }

    [Fact]
    public async Task Export_SqliteTable_RowsAndBytesEqualTheResult_LinkDownload200_TamperedLink403()
    {
        var source = ExportRows.CreateSqlite(1000);
        var server = await _env.StartServerAsync(ExportEnvironment("sqlite", $"Data Source={source}", "items"));
        var (result, metrics) = await ExportAsync(server, "items");
        (string, string)[] general = [("format", "csv"), ("source", "main"), ("path", "general")];
        Equal(metrics, 1000, "longhaul_export_rows_total", general);
        Equal(metrics, result["row_count"]!.GetValue<long>(), "longhaul_export_rows_total");
        Equal(metrics, result["bytes"]!.GetValue<long>(), "longhaul_export_bytes_total", general);
        Equal(metrics, result["bytes"]!.GetValue<long>(), "longhaul_export_bytes_total");

        var url = result["download_url"]!.GetValue<string>();
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(result["bytes"]!.GetValue<long>(), (await anonymous.GetByteArrayAsync(url, Ct)).Length);
        var signature = url.IndexOf("signature=", StringComparison.Ordinal) + "signature=".Length;
        var tampered = url[..signature] + (url[signature] == 'A' ? 'B' : 'A') + url[(signature + 1)..];
        using (var forbidden = await anonymous.GetAsync(tampered, Ct)) Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        metrics = await ScrapeAsync(server);
        Equal(metrics, 1, "longhaul_export_downloads_total", ("http_response_status_code", "200"));
        Equal(metrics, 1, "longhaul_export_downloads_total", ("http_response_status_code", "403"));
        Equal(metrics, 2, "longhaul_export_downloads_total");
        AssertOperatorSeriesExported(metrics, "longhaul_export_");
        File.Delete(source);
    }

    [Fact]
    public async Task Export_PostgresCsvTable_CountedOnTheCopyPath()
    {
        await using var schema = PostgresTestSchema.CreateOrSkip();
        await ExportRows.CreatePostgresAsync(schema.ConnectionString, schema.Name, 1000, Ct);
        var table = $"{schema.Name}.items";
        var server = await _env.StartServerAsync(ExportEnvironment("postgres", schema.ConnectionString, table));
        var (result, metrics) = await ExportAsync(server, table);
        (string, string)[] copy = [("format", "csv"), ("source", "main"), ("path", "copy")];
        Equal(metrics, result["row_count"]!.GetValue<long>(), "longhaul_export_rows_total", copy);
        Equal(metrics, 1000, "longhaul_export_rows_total");
        Equal(metrics, result["bytes"]!.GetValue<long>(), "longhaul_export_bytes_total", copy);
        Equal(metrics, result["bytes"]!.GetValue<long>(), "longhaul_export_bytes_total");
    }

    [Fact]
    public async Task Limits_RateSlotsPendingConnectionsAndStoredBytesRefusals_CountedOnceByLimit()
    {
        var server = await _env.StartServerAsync(new Dictionary<string, string>
        {
            // Two starts, then none for 100 s; one pending operation; one stream or long-poll; stored bytes below one upload.
            ["Longhaul__Tenants__Defaults__CreateRatePerSecond"] = "0.01",
            ["Longhaul__Tenants__Defaults__CreateBurst"] = "2",
            ["Longhaul__Tenants__Defaults__MaxPending"] = "1",
            ["Longhaul__Tenants__Defaults__MaxConnections"] = "1",
            ["Longhaul__Tenants__Defaults__MaxStoredBytes"] = "100",
        });
        var later = DateTimeOffset.UtcNow.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var start = $$$"""{"kind":"sleep","input":{"seconds":0},"options":{"start_after":"{{{later}}}"}}""";
        var waiting = await StartAsync(server, start);
        // The second start has a token but meets the pending limit; the next two find the bucket empty.
        await RefusedAsync(server, HttpMethod.Post, "/v1/operations", start, HttpStatusCode.TooManyRequests, "tenant_pending_limit");
        for (var i = 0; i < 2; i++) await RefusedAsync(server, HttpMethod.Post, "/v1/operations", start, HttpStatusCode.TooManyRequests, "rate_limited");
        // The tenant's one connection is an open event stream: a long-poll beside it is refused.
        await using (var stream = await SseStream.OpenAsync(server.Http, $"/v1/operations/{waiting}/events", null, Ct))
        {
            Assert.Equal("snapshot", (await stream.ReadAsync(TimeSpan.FromSeconds(30), Ct))!.Type);
            await RefusedAsync(server, HttpMethod.Get, $"/v1/operations/{waiting}/wait?timeout=1", null, HttpStatusCode.TooManyRequests, "connection_limit");
        }
        using (var put = await server.Http.PutAsync("/v1/uploads", new ByteArrayContent(new byte[600]), Ct))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);

        var metrics = await ScrapeAsync(server);
        Equal(metrics, 2, "longhaul_limits_refusals_total", ("limit", "create_rate"));
        Equal(metrics, 1, "longhaul_limits_refusals_total", ("limit", "max_pending"));
        Equal(metrics, 1, "longhaul_limits_refusals_total", ("limit", "max_connections"));
        Equal(metrics, 1, "longhaul_limits_refusals_total", ("limit", "max_stored_bytes"));
        Equal(metrics, 5, "longhaul_limits_refusals_total");
        AssertOperatorSeriesExported(metrics, "longhaul_limits_");
    }

    private static async Task RefusedAsync(LonghaulServerProcess server, HttpMethod method, string path, string? json, HttpStatusCode status, string code)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status && body.Contains($"\"{code}\"", StringComparison.Ordinal), $"{method} {path}: {(int)response.StatusCode} {body}");
    }

    private static Dictionary<string, string> ExportEnvironment(string provider, string connectionString, string table) => new()
    {
        ["Longhaul__Export__Sources__main__Provider"] = provider,
        ["Longhaul__Export__Sources__main__ConnectionString"] = connectionString,
        [$"Longhaul__Export__Sources__main__Tables__{table}__Key__0"] = "id",
        // Small segments: the rows and bytes are counted over several checkpoints and the finish.
        ["Longhaul__Export__CheckpointBytes"] = "4096",
    };

    /// <summary>Runs a CSV export of <paramref name="table"/> to success; its result and the metrics after it.</summary>
    private async Task<(JsonNode Result, PrometheusText Metrics)> ExportAsync(LonghaulServerProcess server, string table)
    {
        var id = await StartAsync(server, $$$"""{"kind":"export","input":{"source":"main","table":"{{{table}}}","format":"csv"}}""");
        var result = Succeeded(await _env.WaitUntilDoneAsync(server, id, DoneTimeout));
        Assert.Equal(1000, result["row_count"]!.GetValue<long>());
        return (result, await ScrapeAsync(server));
    }

    /// <summary>A tus upload of <paramref name="content"/>: created empty, then two PATCHes split at <paramref name="split"/>.</summary>
    private static async Task<string> TusUploadAsync(LonghaulServerProcess server, byte[] content, int split)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/uploads");
        create.Headers.Add("Tus-Resumable", "1.0.0");
        create.Headers.Add("Upload-Length", content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var created = await server.Http.SendAsync(create, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        foreach (var (offset, count) in new[] { (0, split), (split, content.Length - split) })
        {
            using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(content, offset, count) };
            patch.Headers.Add("Tus-Resumable", "1.0.0");
            patch.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            using var patched = await server.Http.SendAsync(patch, Ct);
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        }
        return location[(location.LastIndexOf('/') + 1)..];
    }

    private async Task<string> StartAsync(LonghaulServerProcess server, string json)
    {
        using var response = await server.Http.PostAsync("/v1/operations", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{body}\n{_env.Logs}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private JsonNode Succeeded(JsonNode op)
    {
        Assert.True(op["status"]!.GetValue<string>() == "succeeded", $"{op.ToJsonString()}\n{_env.Logs}");
        return op["result"]!;
    }

    private async Task<PrometheusText> ScrapeAsync(LonghaulServerProcess server)
    {
        using var response = await server.Http.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{text}\n{_env.Logs}");
        if (await PrometheusText.PromtoolCheckAsync(text, Ct) is { } check) Assert.True(check.ExitCode == 0, $"promtool check metrics: {check.Output}\n{text}");
        return PrometheusText.Parse(text);
    }

    /// <summary>The series of these families that the alert rules and the Grafana dashboard name are ones the server exports.</summary>
    private static void AssertOperatorSeriesExported(PrometheusText metrics, params string[] prefixes)
    {
        var named = OperatorFiles.MetricNames().Where(n => prefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.NotEmpty(named);
        var missing = named.Where(n => !OperatorFiles.Exported(n, metrics.Types)).ToList();
        Assert.True(missing.Count == 0, $"alerts.yml / longhaul.json name series the server does not export: {string.Join(", ", missing)}");
    }

    private static void Equal(PrometheusText metrics, double expected, string name, params (string Key, string Value)[] labels)
    {
        var actual = metrics.Sum(name, labels);
        Assert.True(actual == expected, $"{name}{{{string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}}: expected {expected}, got {actual}");
    }
}
