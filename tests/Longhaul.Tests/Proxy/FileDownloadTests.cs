using System.Net;
using System.Net.Http.Headers;
using Longhaul.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>Operation files answer <c>HEAD</c> and one byte range, so a broken download can be resumed.</summary>
public sealed class FileDownloadTests
{
    private const int Chunk = 1024 * 1024;

    /// <summary>Three stored chunks, the last one partial.</summary>
    private const int Size = 2 * Chunk + 12345;

    private static byte[] Payload()
    {
        var bytes = new byte[Size];
        for (var i = 0; i < Size; i++) bytes[i] = (byte)(i * 31 + i / 251);
        return bytes;
    }

    /// <summary>A server whose one operation has the file at <see cref="Url"/>, fetched from a fake upstream.</summary>
    private sealed record ServedFile(TestHost Host, FakeUpstream Fake, string Url, byte[] Payload) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Fake.DisposeAsync();
        }
    }

    private static async Task<ServedFile> StartWithFileAsync()
    {
        var payload = Payload();
        var fake = await FakeUpstream.StartAsync((context, _) =>
        {
            context.Response.ContentType = "application/octet-stream";
            return context.Response.Body.WriteAsync(payload, context.RequestAborted).AsTask();
        });
        var host = await TestHost.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["Longhaul:Upstreams:api:BaseUrl"] = fake.Address.ToString().TrimEnd('/'),
            ["Longhaul:Upstreams:api:MaxInlineBytes"] = "1000",
            ["Longhaul:Upstreams:api:MaxResponseBytes"] = "4000000",
        }, "acme", "other");
        var op = await host.Client.StartOperationOkAsync("http", new { upstream = "api", method = "GET", path = "/export" });
        var done = await host.Client.WaitDoneAsync(op.Id());
        Assert.Equal("succeeded", done.Status());
        return new ServedFile(host, fake, done.GetProperty("result").GetProperty("body_url").GetString()!, payload);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? range = null, string? ifRange = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (range is not null) request.Headers.TryAddWithoutValidation("Range", range);
        if (ifRange is not null) request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        return await client.SendAsync(request, Http.Ct);
    }

    [Theory]
    [InlineData("bytes=1048000-1049999", 1048000, 2000)] // across the first chunk boundary
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=2097152-", 2097152, 12345)] // from the start of the last chunk to the end
    [InlineData("bytes=2000000-99999999", 2000000, Size - 2000000)] // an end past the file is cut to it
    [InlineData("bytes=-100", Size - 100, 100)] // the last 100 bytes
    [InlineData("bytes=-99999999", 0, Size)] // a suffix longer than the file is the whole file
    public async Task OneByteRange_Is206_WithContentRange_AndExactlyThoseBytes(string range, int start, int length)
    {
        await using var file = await StartWithFileAsync();
        var (host, url, payload) = (file.Host, file.Url, file.Payload);

        using var response = await GetAsync(host.Client, url, range);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {start}-{start + length - 1}/{Size}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(payload.AsSpan(start, length).ToArray(), await response.Content.ReadAsByteArrayAsync(Http.Ct));
    }

    [Theory]
    [InlineData("bytes=2109497-")] // the first byte past the end
    [InlineData("bytes=99999999-")]
    [InlineData("bytes=-0")]
    public async Task RangeOutsideTheFile_Is416_WithTheLength(string range)
    {
        await using var file = await StartWithFileAsync();
        var host = file.Host;
        var url = file.Url;

        using var response = await GetAsync(host.Client, url, range);

        await Http.AssertProblemAsync(response, 416, "range_not_satisfiable");
        Assert.Equal($"bytes */{Size}", response.Content.Headers.ContentRange?.ToString());
    }

    [Theory]
    [InlineData("bytes=0-9,20-29")] // several ranges: the whole file, as the RFC allows
    [InlineData("items=0-9")] // another unit
    [InlineData("bytes=9-0")] // not a range
    [InlineData("bytes=abc")]
    public async Task RangeNotServed_IsTheWholeFile(string range)
    {
        await using var file = await StartWithFileAsync();
        var (host, url, payload) = (file.Host, file.Url, file.Payload);

        using var response = await GetAsync(host.Client, url, range);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync(Http.Ct));
    }

    [Fact]
    public async Task BrokenDownload_ResumedWithRangeAndIfRange_GivesTheWholeFile_AndAStaleValidatorGivesItAfresh()
    {
        await using var file = await StartWithFileAsync();
        var (host, url, payload) = (file.Host, file.Url, file.Payload);

        // The first download stops after a part of the body, as a dropped connection would.
        var received = new MemoryStream();
        string etag;
        using (var first = await host.Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, Http.Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("bytes", Assert.Single(first.Headers.AcceptRanges));
            etag = first.Headers.ETag!.ToString();
            Assert.False(first.Headers.ETag.IsWeak);
            await using var body = await first.Content.ReadAsStreamAsync(Http.Ct);
            var buffer = new byte[64 * 1024];
            while (received.Length < Chunk + 5000)
            {
                var read = await body.ReadAsync(buffer, Http.Ct);
                Assert.NotEqual(0, read);
                received.Write(buffer, 0, read);
            }
        }

        using (var rest = await GetAsync(host.Client, url, $"bytes={received.Length}-", etag))
        {
            Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
            Assert.Equal(etag, rest.Headers.ETag?.ToString());
            await rest.Content.CopyToAsync(received, Http.Ct);
        }
        Assert.Equal(payload, received.ToArray());

        using var stale = await GetAsync(host.Client, url, "bytes=100-", "\"0-0-0\"");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(payload, await stale.Content.ReadAsByteArrayAsync(Http.Ct));
    }

    [Fact]
    public async Task IfRangeWithTheLastModifiedDate_IsHonoured()
    {
        await using var file = await StartWithFileAsync();
        var (host, url, payload) = (file.Host, file.Url, file.Payload);
        using var head = new HttpRequestMessage(HttpMethod.Head, url);
        using var headResponse = await host.Client.SendAsync(head, Http.Ct);
        var lastModified = headResponse.Content.Headers.LastModified!.Value;

        using var same = await GetAsync(host.Client, url, "bytes=10-19", lastModified.ToString("R"));
        using var older = await GetAsync(host.Client, url, "bytes=10-19", lastModified.AddSeconds(-1).ToString("R"));

        Assert.Equal(HttpStatusCode.PartialContent, same.StatusCode);
        Assert.Equal(payload.AsSpan(10, 10).ToArray(), await same.Content.ReadAsByteArrayAsync(Http.Ct));
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.Equal(Size, older.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Head_HasTheHeadersOfGet_AndNoBody_AndIsTenantScoped()
    {
        await using var file = await StartWithFileAsync();
        var host = file.Host;
        var url = file.Url;

        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        using var response = await host.Client.SendAsync(request, Http.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.NotNull(response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Http.Ct));

        // A range on HEAD is ignored (RFC 9110 defines ranges for GET only).
        using var ranged = new HttpRequestMessage(HttpMethod.Head, url);
        ranged.Headers.Range = new RangeHeaderValue(0, 9);
        using var rangedResponse = await host.Client.SendAsync(ranged, Http.Ct);
        Assert.Equal(HttpStatusCode.OK, rangedResponse.StatusCode);
        Assert.Equal(Size, rangedResponse.Content.Headers.ContentLength);

        using var foreign = new HttpRequestMessage(HttpMethod.Head, url);
        using var foreignResponse = await host.ClientFor("other").SendAsync(foreign, Http.Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreignResponse.StatusCode);
    }

    [Fact]
    public async Task RangeOfAnotherTenantsFile_Is404()
    {
        await using var file = await StartWithFileAsync();
        var host = file.Host;
        var url = file.Url;

        using var response = await GetAsync(host.ClientFor("other"), url, "bytes=0-9");

        await Http.AssertProblemAsync(response, 404, "operation_not_found");
    }
}
