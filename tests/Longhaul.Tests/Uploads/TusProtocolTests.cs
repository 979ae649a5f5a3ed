using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Longhaul.Testing;
using Longhaul.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Tests.Uploads;

/// <summary>tus 1.0 at /v1/uploads over real HTTP: every rule of the core protocol and its extensions that a client meets.</summary>
public sealed class TusProtocolTests
{
    private static HttpRequestMessage Tus(HttpMethod method, string url, byte[]? body = null, long? offset = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        if (offset is { } o) request.Headers.Add("Upload-Offset", o.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        }
        return request;
    }

    private static async Task<string> CreateAsync(HttpClient client, long length, string? metadata = null)
    {
        using var request = Tus(HttpMethod.Post, "/v1/uploads");
        request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (metadata is not null) request.Headers.Add("Upload-Metadata", metadata);
        using var response = await client.SendAsync(request, Http.Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
        Assert.True(response.Headers.Contains("Upload-Expires"));
        return response.Headers.Location!.ToString();
    }

    private static async Task<(HttpStatusCode Status, long? Offset, string Body)> PatchAsync(HttpClient client, string url, long offset, byte[] body, string? checksum = null)
    {
        using var request = Tus(HttpMethod.Patch, url, body, offset);
        if (checksum is not null) request.Headers.Add("Upload-Checksum", checksum);
        using var response = await client.SendAsync(request, Http.Ct);
        var at = response.Headers.TryGetValues("Upload-Offset", out var values) ? long.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
        return (response.StatusCode, at, await response.Content.ReadAsStringAsync(Http.Ct));
    }

    private static async Task<(HttpStatusCode Status, long? Offset)> HeadAsync(HttpClient client, string url)
    {
        using var request = Tus(HttpMethod.Head, url);
        using var response = await client.SendAsync(request, Http.Ct);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (response.StatusCode, response.Headers.TryGetValues("Upload-Offset", out var v) ? long.Parse(v.Single(), System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    [Fact]
    public async Task Options_AnnouncesVersionExtensionsChecksumsAndMaxSize()
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?> { ["Longhaul:Uploads:MaxBytes"] = "1000" });
        using var response = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/v1/uploads"), Http.Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal("1000", response.Headers.GetValues("Tus-Max-Size").Single());
        var extensions = response.Headers.GetValues("Tus-Extension").Single().Split(',');
        Assert.Superset(new HashSet<string> { "creation", "termination", "checksum", "expiration" }, extensions.ToHashSet());
        Assert.Contains("sha1", response.Headers.GetValues("Tus-Checksum-Algorithm").Single().Split(','));
    }

    [Fact]
    public async Task Patch_InPieces_HeadReportsTheOffsetAndTheContentIsTheBytesSent()
    {
        await using var host = await TestHost.StartAsync(tenants: "acme");
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var url = await CreateAsync(host.Client, data.Length, "filename ZGF0YS5jc3Y=");

        var first = await PatchAsync(host.Client, url, 0, data[..1_500_000]);
        Assert.Equal((HttpStatusCode.NoContent, (long?)1_500_000), (first.Status, first.Offset));
        Assert.Equal((HttpStatusCode.OK, (long?)1_500_000), await HeadAsync(host.Client, url));
        var rest = await PatchAsync(host.Client, url, 1_500_000, data[1_500_000..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.Status);
        Assert.Equal(data.Length, rest.Offset);

        Assert.Equal(data, await host.Client.GetByteArrayAsync(url + "/content", Http.Ct));
        var resource = JsonDocument.Parse(await host.Client.GetStringAsync(url, Http.Ct)).RootElement;
        Assert.True(resource.GetProperty("complete").GetBoolean());
        Assert.Equal("data.csv", resource.GetProperty("metadata").GetProperty("filename").GetString());
    }

    [Fact]
    public async Task Patch_WrongOffset_Answers409WithTheCurrentOffsetAndStoresNothing()
    {
        await using var host = await TestHost.StartAsync(tenants: "acme");
        var url = await CreateAsync(host.Client, 10);
        await PatchAsync(host.Client, url, 0, [1, 2, 3]);

        var conflict = await PatchAsync(host.Client, url, 0, [9, 9]);

        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal(3, conflict.Offset);
        Assert.Contains("upload_offset_mismatch", conflict.Body, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], await host.Client.GetByteArrayAsync(url + "/content", Http.Ct));
    }

    [Fact]
    public async Task Patch_Sha1Checksum_MismatchAnswers460AndKeepsNothingThenAMatchIsStored()
    {
        await using var host = await TestHost.StartAsync(tenants: "acme");
        var data = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 5);
        var url = await CreateAsync(host.Client, data.Length);
#pragma warning disable CA5350 // tus's checksum extension names sha1: it detects corrupted transfers, it does not authenticate.
        var good = "sha1 " + Convert.ToBase64String(SHA1.HashData(data));
        var wrong = "sha1 " + Convert.ToBase64String(SHA1.HashData(data[1..]));
#pragma warning restore CA5350

        var mismatch = await PatchAsync(host.Client, url, 0, data, wrong);
        Assert.Equal(460, (int)mismatch.Status);
        Assert.Contains("checksum_mismatch", mismatch.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, (long?)0), await HeadAsync(host.Client, url));

        var unsupported = await PatchAsync(host.Client, url, 0, data, "crc32 AAAA");
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.Status);

        var match = await PatchAsync(host.Client, url, 0, data, good);
        Assert.Equal(HttpStatusCode.NoContent, match.Status);
        Assert.Equal(data, await host.Client.GetByteArrayAsync(url + "/content", Http.Ct));
    }

    [Fact]
    public async Task Create_AboveMaxBytes_Answers413AndABodyPastTheLengthToo()
    {
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?> { ["Longhaul:Uploads:MaxBytes"] = "100" });
        using var request = Tus(HttpMethod.Post, "/v1/uploads");
        request.Headers.Add("Upload-Length", "101");
        using var tooLarge = await host.Client.SendAsync(request, Http.Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        Assert.Contains("upload_too_large", await tooLarge.Content.ReadAsStringAsync(Http.Ct), StringComparison.Ordinal);

        var url = await CreateAsync(host.Client, 4);
        var past = await PatchAsync(host.Client, url, 0, [1, 2, 3, 4, 5]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, past.Status);
        Assert.Equal((HttpStatusCode.OK, (long?)0), await HeadAsync(host.Client, url));
    }

    [Fact]
    public async Task Requests_WithoutTusResumable_Answer412AndBadHeadersAnswer400()
    {
        await using var host = await TestHost.StartAsync(tenants: "acme");
        using var noVersion = await host.Client.PostAsync("/v1/uploads", null, Http.Ct);
        Assert.Equal(HttpStatusCode.PreconditionFailed, noVersion.StatusCode);
        Assert.Equal("1.0.0", noVersion.Headers.GetValues("Tus-Version").Single());

        foreach (var (header, value) in new[] { ("Upload-Length", "-1"), ("Upload-Length", "ten"), ("Upload-Metadata", "name not-base64!"), ("Upload-Defer-Length", "1") })
        {
            using var request = Tus(HttpMethod.Post, "/v1/uploads");
            if (header != "Upload-Length") request.Headers.Add("Upload-Length", "5");
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await host.Client.SendAsync(request, Http.Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{header}: {value} answered {(int)response.StatusCode}");
        }
        var url = await CreateAsync(host.Client, 5);
        using var wrongType = Tus(HttpMethod.Patch, url, [1], 0);
        wrongType.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var unsupported = await host.Client.SendAsync(wrongType, Http.Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
    }

    [Fact]
    public async Task Uploads_AreTenantScopedAndDeleteEndsThem()
    {
        await using var host = await TestHost.StartAsync(tenants: ["acme", "globex"]);
        var url = await CreateAsync(host.Client, 3);
        using var other = host.ClientFor("globex");

        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(other, url)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(other, url, 0, [1])).Status);

        using var delete = await host.Client.SendAsync(Tus(HttpMethod.Delete, url), Http.Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(host.Client, url)).Status);
    }

    [Fact]
    public async Task Unfinished_PastItsLifetime_Answers410ThenIsPruned()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        // The maintenance sweep (which prunes) waits on the same clock: an hour keeps it out of this test.
        await using var host = await TestHost.StartWithServicesAsync(s => s.AddSingleton<TimeProvider>(clock).Configure<LonghaulEngineOptions>(o => o.ReaperInterval = TimeSpan.FromHours(1)),
            new Dictionary<string, string?> { ["Longhaul:Uploads:Lifetime"] = "00:10:00" }, "acme");
        var url = await CreateAsync(host.Client, 4);
        await PatchAsync(host.Client, url, 0, [1, 2]);

        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(HttpStatusCode.Gone, (await HeadAsync(host.Client, url)).Status);
        var patch = await PatchAsync(host.Client, url, 2, [3, 4]);
        Assert.Equal(HttpStatusCode.Gone, patch.Status);
        Assert.Contains("upload_expired", patch.Body, StringComparison.Ordinal);
        await host.Services.GetRequiredService<Storage.IOperationStore>().PruneAsync(new Storage.PruneParams(TimeSpan.FromDays(1), 100), Http.Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await HeadAsync(host.Client, url)).Status);
    }

    [Fact]
    public async Task Put_WholeBody_CreatesACompleteUpload()
    {
        await using var host = await TestHost.StartAsync(tenants: "acme");
        var data = RandomNumberGenerator.GetBytes(100_000);

        using var response = await host.Client.PutAsync("/v1/uploads", new ByteArrayContent(data), Http.Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var resource = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Http.Ct)).RootElement;
        Assert.True(resource.GetProperty("complete").GetBoolean());
        Assert.StartsWith("up_", resource.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(resource.GetProperty("url").GetString(), response.Headers.Location!.ToString());
        Assert.Equal(data, await host.Client.GetByteArrayAsync(resource.GetProperty("url").GetString() + "/content", Http.Ct));
    }
}
