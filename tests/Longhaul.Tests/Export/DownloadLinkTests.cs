using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Longhaul.Testing;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests.Export;

/// <summary>The signed download link: no key needed, Range, 410 after expiry, 403 for every forgery, 404 once deleted.</summary>
public sealed class DownloadLinkTests
{
    private const int Rows = 2000;

    private static async Task<(TestHost Host, ManualTimeProvider Clock)> StartAsync(string? lifetime = null)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string?>
        {
            ["Longhaul:Export:Sources:main:Provider"] = "sqlite",
            ["Longhaul:Export:Sources:main:ConnectionString"] = $"Data Source={ExportRows.CreateSqlite(Rows)}",
            ["Longhaul:Export:Sources:main:Tables:items:Key:0"] = "id",
        };
        if (lifetime is not null) settings["Longhaul:Export:LinkLifetime"] = lifetime;
        var host = await TestHost.StartWithServicesAsync(s => s.AddKeyedSingleton<TimeProvider>("export", clock), settings, "acme");
        return (host, clock);
    }

    private static async Task<JsonElement> ExportAsync(TestHost host, object input)
    {
        var op = await host.Client.StartOperationOkAsync("export", input);
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.True(done.Status() == "succeeded", done.ToString());
        return done.GetProperty("result");
    }

    [Fact]
    public async Task Link_WithoutApiKey_ServesTheFileAndOneRange()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var result = await ExportAsync(host, new { source = "main", table = "items" });
        var url = result.GetProperty("download_url").GetString()!;
        using var anonymous = host.CreateClient();

        var whole = await anonymous.GetByteArrayAsync(url, Http.Ct);
        Assert.Equal(result.GetProperty("bytes").GetInt64(), whole.LongLength);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await anonymous.SendAsync(request, Http.Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(whole.AsSpan(100, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync(Http.Ct));

        // The same file through the API still needs the key.
        using var keyless = await anonymous.GetAsync($"/v1/operations/{url.Split('/')[2]}/files/export.csv", Http.Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
    }

    [Fact]
    public async Task Link_AfterItsExpiry_Answers410()
    {
        var (host, clock) = await StartAsync();
        await using var _host = host;
        var result = await ExportAsync(host, new { source = "main", table = "items", expires_in_seconds = 120 });
        var url = result.GetProperty("download_url").GetString()!;
        Assert.Equal(clock.GetUtcNow().AddSeconds(120).ToUnixTimeSeconds(), result.GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeSeconds());
        using var anonymous = host.CreateClient();
        clock.Advance(TimeSpan.FromSeconds(119));
        using (var before = await anonymous.GetAsync(url, Http.Ct)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        clock.Advance(TimeSpan.FromSeconds(1));
        using var after = await anonymous.GetAsync(url, Http.Ct);
        Assert.Equal(HttpStatusCode.Gone, after.StatusCode);
        Assert.Equal("application/problem+json", after.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"code\":\"link_expired\"", await after.Content.ReadAsStringAsync(Http.Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_Forged_Answers403()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var result = await ExportAsync(host, new { source = "main", table = "items" });
        var url = result.GetProperty("download_url").GetString()!;
        // Another real export of the same tenant: its file exists, so only the signature can refuse it.
        var other = (await ExportAsync(host, new { source = "main", table = "items" })).GetProperty("download_url").GetString()!;
        var (id, otherId) = (url.Split('/')[2], other.Split('/')[2]);
        var signature = url[(url.IndexOf("signature=", StringComparison.Ordinal) + 10)..];
        var expires = long.Parse(url.Split("expires=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture);
        var flipped = (signature[0] == 'A' ? "B" : "A") + signature[1..];
        string[] forged =
        [
            url.Replace(signature, flipped, StringComparison.Ordinal),
            url.Replace("signature=" + signature, "signature=", StringComparison.Ordinal),
            url.Replace("/export.csv?", "/export.ndjson?", StringComparison.Ordinal),
            url.Replace(id, otherId, StringComparison.Ordinal),
            other[..other.IndexOf("signature=", StringComparison.Ordinal)] + "signature=" + signature,
            url.Replace($"expires={expires}", $"expires={expires + 3600}", StringComparison.Ordinal),
            url.Replace("tenant=acme", "tenant=other", StringComparison.Ordinal),
            url.Replace(signature, Convert.ToBase64String(Encoding.UTF8.GetBytes("not a signature at all, really")), StringComparison.Ordinal),
        ];
        using var anonymous = host.CreateClient();
        foreach (var link in forged)
        {
            using var response = await anonymous.GetAsync(link, Http.Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{link}: {response.StatusCode}");
        }
    }

    [Theory]
    [InlineData(60, true)]
    [InlineData(59, false)]
    [InlineData(604_800, true)]
    [InlineData(604_801, false)]
    public async Task Link_PerRequestExpiry_WithinTheServersBounds_IsHonoured_OutsideIs422(int seconds, bool accepted)
    {
        var (host, clock) = await StartAsync();
        await using var _host = host;
        var input = new { source = "main", table = "items", expires_in_seconds = seconds };
        if (!accepted)
        {
            using var refused = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind = "export", input }), Http.Ct);
            await Http.AssertProblemAsync(refused, 422, "validation_failed", "input.expires_in_seconds");
            return;
        }
        var result = await ExportAsync(host, input);
        var expires = result.GetProperty("expires_at").GetDateTimeOffset();
        Assert.Equal(clock.GetUtcNow().AddSeconds(seconds).ToUnixTimeSeconds(), expires.ToUnixTimeSeconds());
        Assert.Contains($"expires={expires.ToUnixTimeSeconds()}&", result.GetProperty("download_url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_AfterTheOperationIsDeleted_Answers404()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var result = await ExportAsync(host, new { source = "main", table = "items" });
        var url = result.GetProperty("download_url").GetString()!;
        using (var deleted = await host.Client.DeleteAsync($"/v1/operations/{url.Split('/')[2]}", Http.Ct))
            Assert.True(deleted.IsSuccessStatusCode, deleted.StatusCode.ToString());
        using var anonymous = host.CreateClient();
        using var response = await anonymous.GetAsync(url, Http.Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Usage_CountsTheExportFileForItsTenantUntilDeleted()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var result = await ExportAsync(host, new { source = "main", table = "items" });
        var usage = await host.Client.GetJsonAsync("/v1/usage");
        Assert.Equal("acme", usage.GetProperty("tenant").GetString());
        Assert.Equal(1, usage.GetProperty("files").GetInt64());
        Assert.Equal(result.GetProperty("bytes").GetInt64(), usage.GetProperty("file_bytes").GetInt64());

        var id = result.GetProperty("download_url").GetString()!.Split('/')[2];
        using (var deleted = await host.Client.DeleteAsync($"/v1/operations/{id}", Http.Ct)) Assert.True(deleted.IsSuccessStatusCode);
        Assert.Equal(0, (await host.Client.GetJsonAsync("/v1/usage")).GetProperty("file_bytes").GetInt64());
    }
}
