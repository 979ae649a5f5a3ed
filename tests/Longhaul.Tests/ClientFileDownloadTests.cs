using System.Security.Cryptography;
using Longhaul.Client;
using Longhaul.Tests.Infrastructure;
using Longhaul.Tests.Proxy;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests;

/// <summary>
/// <see cref="LonghaulClient.DownloadFileAsync(string, string, FileDownloadOptions?, CancellationToken)"/>: a download
/// to <c>PATH.part</c> resumed by a later call (another process) with the ETag it kept, verified, renamed.
/// </summary>
public sealed class ClientFileDownloadTests : IDisposable
{
    private const string ETag = "\"v1\"";
    private readonly string _dir = Directory.CreateTempSubdirectory("longhaul-download-").FullName;
    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(300_000);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sha256 => Convert.ToHexStringLower(SHA256.HashData(_payload));

    /// <summary>The file as a server serves it: 206 for <c>Range</c> while <c>If-Range</c> is <paramref name="etag"/>, else 200.</summary>
    private Task Serve(HttpContext context, string etag, byte[]? payload = null)
    {
        payload ??= _payload;
        context.Response.Headers.ETag = etag;
        context.Response.ContentType = "text/csv";
        var range = context.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && context.Request.Headers.IfRange.ToString() == etag)
        {
            var from = int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{payload.Length - 1}/{payload.Length}";
            context.Response.ContentLength = payload.Length - from;
            return context.Response.Body.WriteAsync(payload.AsMemory(from), context.RequestAborted).AsTask();
        }
        context.Response.ContentLength = payload.Length;
        return context.Response.Body.WriteAsync(payload, context.RequestAborted).AsTask();
    }

    private async Task<(FakeUpstream Fake, LonghaulClient Client, HttpClient Http)> StartAsync(Func<HttpContext, Task> handler)
    {
        var fake = await FakeUpstream.StartAsync((context, _) => handler(context));
        var http = new HttpClient { BaseAddress = fake.Address };
        return (fake, new LonghaulClient(http, "lh_key"), http);
    }

    [Fact]
    public async Task PartAndETagLeftByAKilledDownload_TheNextCallResumesWithRangeVerifiesAndRenames()
    {
        var (fake, client, http) = await StartAsync(c => Serve(c, ETag));
        await using var _ = fake;
        using var __ = http;
        var path = Path.Combine(_dir, "export.csv");
        await File.WriteAllBytesAsync(path + ".part", _payload.AsMemory(0, 123_456).ToArray(), Http.Ct);
        await File.WriteAllTextAsync(path + ".part.etag", ETag, Http.Ct);

        var saved = await client.DownloadFileAsync("/downloads/op_1/export.csv?signature=s", path,
            new FileDownloadOptions { SignedLink = true, ExpectedBytes = _payload.Length, ExpectedSha256 = Sha256 }, Http.Ct);

        Assert.Equal(123_456, saved.ResumedFrom);
        Assert.Equal((_payload.Length, Sha256, ETag), (saved.Bytes, saved.Sha256, saved.ETag));
        Assert.Equal(_payload, await File.ReadAllBytesAsync(path, Http.Ct));
        Assert.False(File.Exists(path + ".part") || File.Exists(path + ".part.etag"));
        var request = Assert.Single(fake.Requests);
        Assert.Equal(("bytes=123456-", ETag), (request.Headers["Range"], request.Headers["If-Range"]));
        // A signed link goes without the API key.
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task FileWrittenAnewSinceThePart_ComesWholeAndTheDownloadStartsOver()
    {
        var (fake, client, http) = await StartAsync(c => Serve(c, "\"v2\""));
        await using var _ = fake;
        using var __ = http;
        var path = Path.Combine(_dir, "export.csv");
        await File.WriteAllBytesAsync(path + ".part", new byte[50_000], Http.Ct);
        await File.WriteAllTextAsync(path + ".part.etag", ETag, Http.Ct);

        var saved = await client.DownloadFileAsync("v1/operations/op_1/files/export.csv", path, new FileDownloadOptions { ExpectedSha256 = Sha256 }, Http.Ct);

        Assert.Null(saved.ResumedFrom);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(path, Http.Ct));
        Assert.Equal("Bearer lh_key", Assert.Single(fake.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task WrongBytesInThePart_FailVerificationAndThePartIsDeleted()
    {
        var (fake, client, http) = await StartAsync(c => Serve(c, ETag));
        await using var _ = fake;
        using var __ = http;
        var path = Path.Combine(_dir, "export.csv");
        await File.WriteAllBytesAsync(path + ".part", new byte[1000], Http.Ct);
        await File.WriteAllTextAsync(path + ".part.etag", ETag, Http.Ct);

        var error = await Assert.ThrowsAsync<FileVerificationException>(() => client.DownloadFileAsync("v1/operations/op_1/files/export.csv", path,
            new FileDownloadOptions { ExpectedBytes = _payload.Length, ExpectedSha256 = Sha256 }, Http.Ct));

        Assert.Contains($"but the operation's result says {Sha256}", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path) || File.Exists(path + ".part") || File.Exists(path + ".part.etag"));
    }

    [Fact]
    public async Task CompletePartWhoseRenameWasLost_Answered416_IsVerifiedAndRenamed()
    {
        var (fake, client, http) = await StartAsync(context =>
        {
            context.Response.StatusCode = 416;
            context.Response.Headers.ContentRange = $"bytes */{_payload.Length}";
            return Task.CompletedTask;
        });
        await using var _ = fake;
        using var __ = http;
        var path = Path.Combine(_dir, "export.csv");
        await File.WriteAllBytesAsync(path + ".part", _payload, Http.Ct);
        await File.WriteAllTextAsync(path + ".part.etag", ETag, Http.Ct);

        var saved = await client.DownloadFileAsync("v1/operations/op_1/files/export.csv", path,
            new FileDownloadOptions { ExpectedBytes = _payload.Length, ExpectedSha256 = Sha256 }, Http.Ct);

        Assert.Equal(Sha256, saved.Sha256);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(path, Http.Ct));
    }

    [Fact]
    public async Task ExistingFile_IsRefusedBeforeAnyRequestUnlessOverwrite()
    {
        var (fake, client, http) = await StartAsync(c => Serve(c, ETag));
        await using var _ = fake;
        using var __ = http;
        var path = Path.Combine(_dir, "export.csv");
        await File.WriteAllTextAsync(path, "mine", Http.Ct);

        await Assert.ThrowsAsync<IOException>(() => client.DownloadFileAsync("v1/operations/op_1/files/export.csv", path, null, Http.Ct));
        Assert.Empty(fake.Requests);
        Assert.Equal("mine", await File.ReadAllTextAsync(path, Http.Ct));

        await client.DownloadFileAsync("v1/operations/op_1/files/export.csv", path, new FileDownloadOptions { Overwrite = true }, Http.Ct);
        Assert.Equal(_payload, await File.ReadAllBytesAsync(path, Http.Ct));
    }

    [Fact]
    public async Task ToAStream_ComputesTheHashAndAMismatchThrows()
    {
        var (fake, client, http) = await StartAsync(c => Serve(c, ETag));
        await using var _ = fake;
        using var __ = http;

        using var good = new MemoryStream();
        var saved = await client.DownloadFileAsync("v1/operations/op_1/files/export.csv", good, new FileDownloadOptions { ExpectedSha256 = Sha256 }, Http.Ct);
        Assert.Equal((_payload.Length, Sha256), (saved.Bytes, saved.Sha256));
        Assert.Equal(_payload, good.ToArray());

        using var bad = new MemoryStream();
        await Assert.ThrowsAsync<FileVerificationException>(() => client.DownloadFileAsync("v1/operations/op_1/files/export.csv", bad, new FileDownloadOptions { ExpectedBytes = 5 }, Http.Ct));
    }
}
