using System.Globalization;
using System.Net;
using Longhaul.Client;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests;

/// <summary><see cref="LonghaulClient.DownloadFileAsync"/>: whole files, and downloads resumed after a broken connection.</summary>
public sealed class ClientDownloadTests
{
    private const int Size = 2 * 1024 * 1024 + 12345;

    private static byte[] Payload(int seed)
    {
        var bytes = new byte[Size];
        for (var i = 0; i < Size; i++) bytes[i] = (byte)(i * 31 + i / 251 + seed);
        return bytes;
    }

    /// <summary>Answers 200 with the whole length promised, sends <paramref name="sent"/> bytes of it, and breaks the connection.</summary>
    private static async Task BreakAfterAsync(HttpContext context, byte[] payload, int sent, string etag)
    {
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = payload.Length;
        context.Response.Headers.ETag = etag;
        await context.Response.Body.WriteAsync(payload.AsMemory(0, sent), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    private static LonghaulClient ClientFor(FakeUpstream fake, out HttpClient http)
    {
        http = new HttpClient { BaseAddress = fake.Address };
        return new LonghaulClient(http);
    }

    [Fact]
    public async Task LargeResultFromTheServer_DownloadsWhole()
    {
        var payload = Payload(0);
        await using var fake = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.ContentType = "application/octet-stream";
            return context.Response.Body.WriteAsync(payload, context.RequestAborted).AsTask();
        });
        await using var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:api:MaxInlineBytes"] = "1000",
            ["Longhaul:Upstreams:api:MaxResponseBytes"] = "4000000",
        });
        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/export" });
        var url = (await host.Client.WaitDoneAsync(op.Id())).GetProperty("result").GetProperty("body_url").GetString()!;

        using var destination = new MemoryStream();
        var written = await new LonghaulClient(host.Client).DownloadFileAsync(url, destination, cancellationToken: Http.Ct);

        Assert.Equal(Size, written);
        Assert.Equal(payload, destination.ToArray());
    }

    /// <summary>206 with the rest of <paramref name="payload"/> from the request's <c>Range: bytes=N-</c>.</summary>
    private static async Task RestAsync(HttpContext context, byte[] payload, string etag, int? breakAfter = null)
    {
        var from = int.Parse(context.Request.Headers.Range.ToString()["bytes=".Length..].TrimEnd('-'), CultureInfo.InvariantCulture);
        context.Response.StatusCode = 206;
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.ContentRange = $"bytes {from}-{payload.Length - 1}/{payload.Length}";
        context.Response.ContentLength = payload.Length - from;
        await context.Response.Body.WriteAsync(payload.AsMemory(from, breakAfter ?? payload.Length - from), context.RequestAborted);
        if (breakAfter is null) return;
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }

    [Fact]
    public async Task ConnectionBreaksMidFile_TheDownloadResumesWithRangeAndIfRange()
    {
        var payload = Payload(1);
        // By the request's Range rather than its number: a reset can discard even the first answer's headers.
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Request.Headers.Range.Count == 0
            ? BreakAfterAsync(context, payload, 1024 * 1024 + 777, "\"v1\"")
            : RestAsync(context, payload, "\"v1\""));
        var client = ClientFor(fake, out var http);
        using var _ = http;

        using var destination = new MemoryStream();
        var written = await client.DownloadFileAsync("/v1/operations/op_1/files/body", destination, cancellationToken: Http.Ct);

        Assert.Equal(Size, written);
        Assert.Equal(payload, destination.ToArray());
        Assert.False(fake.Requests[0].Headers.ContainsKey("Range"));
        // A reset can discard bytes in flight: the client asks for what it is missing, whatever that is.
        var resumed = fake.Requests[^1];
        Assert.Matches("^bytes=[1-9][0-9]*-$", resumed.Headers["Range"]);
        Assert.Equal("\"v1\"", resumed.Headers["If-Range"]);
    }

    [Fact]
    public async Task FileRewrittenBetweenTheBreakAndTheResume_TheDownloadStartsOver_WithoutSplicingTwoVersions()
    {
        var old = Payload(1);
        var rewritten = Payload(2);
        await using var fake = await FakeUpstream.StartAsync(async (context, _) =>
        {
            if (context.Request.Headers.IfRange.Count == 0)
            {
                await BreakAfterAsync(context, old, 500_000, "\"v1\"");
                return;
            }
            // If-Range no longer matches: the whole new file, 200.
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers.ETag = "\"v2\"";
            await context.Response.Body.WriteAsync(rewritten, context.RequestAborted);
        });
        var client = ClientFor(fake, out var http);
        using var _ = http;

        using var destination = new MemoryStream();
        destination.Write([9, 9, 9]); // what the caller had written before: kept
        var written = await client.DownloadFileAsync("v1/operations/op_1/files/body", destination, cancellationToken: Http.Ct);

        Assert.Equal(Size, written);
        Assert.Equal([9, 9, 9, .. rewritten], destination.ToArray());
    }

    [Fact]
    public async Task ConnectionBreaksEveryTime_GivesUpAfterMaxResumes_WithTheReadError()
    {
        var payload = Payload(3);
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Request.Headers.Range.Count == 0
            ? BreakAfterAsync(context, payload, 100_000, "\"v1\"")
            : RestAsync(context, payload, "\"v1\"", breakAfter: 1000));
        var client = ClientFor(fake, out var http);
        using var _ = http;

        using var destination = new MemoryStream();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.DownloadFileAsync("v1/operations/op_1/files/body", destination, maxResumes: 2, cancellationToken: Http.Ct));

        Assert.True(error is IOException or HttpRequestException, error.ToString());
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task MissingFile_IsTheServersProblem()
    {
        await using var host = await TestHost.StartAsync();
        var op = await host.Client.StartOperationOkAsync("sleep", new { seconds = 0 });

        var error = await Assert.ThrowsAsync<LonghaulApiException>(() =>
            new LonghaulClient(host.Client).DownloadFileAsync($"/v1/operations/{op.Id()}/files/nope", Stream.Null, cancellationToken: Http.Ct));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("file_not_found", error.Problem?.Code);
    }

    [Theory]
    [InlineData("http://127.0.0.2:1/v1/operations/op_1/files/body")]
    [InlineData("https://example.com/v1/operations/op_1/files/body")]
    public async Task AbsoluteUrlOfAnotherServer_IsRefused_BeforeTheKeyIsSent(string url)
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("x", context.RequestAborted));
        using var http = new HttpClient { BaseAddress = fake.Address };
        var client = new LonghaulClient(http, apiKey: "lh_secret");

        await Assert.ThrowsAsync<ArgumentException>(() => client.DownloadFileAsync(url, Stream.Null, cancellationToken: Http.Ct));
    }

    [Fact]
    public async Task AbsoluteUrlOfThisServer_Downloads()
    {
        await using var fake = await FakeUpstream.StartAsync((context, _) => context.Response.WriteAsync("whole", context.RequestAborted));
        var client = ClientFor(fake, out var http);
        using var _ = http;

        using var destination = new MemoryStream();
        await client.DownloadFileAsync(new Uri(fake.Address, "/v1/operations/op_1/files/body").ToString(), destination, cancellationToken: Http.Ct);

        Assert.Equal("whole"u8.ToArray(), destination.ToArray());
        Assert.Equal("/v1/operations/op_1/files/body", Assert.Single(fake.Requests).PathAndQuery);
    }
}
