using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Longhaul.EndToEnd.Tests.Harness;
using Longhaul.Testing;

namespace Longhaul.EndToEnd.Tests;

/// <summary>The real tus client (npm tus-js-client 4.3.1, Node 20, with the checksum extension added by tests/node/tus-upload.mjs) against the real <c>longhaul</c> binary.</summary>
public sealed class TusClientTests : IAsyncDisposable
{
    private const long Size = 200L * 1024 * 1024;
    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(5);
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task TusJsClient_SigkilledMidUploadAndResumedByANewProcess_StoredBytesEqualTheFile()
    {
        var ct = EndToEndEnvironment.Ct;
        await NodeModules.EnsureAsync("tus-js-client", ct);
        var folder = NodeModules.Folder();
        var server = await _env.StartServerAsync();
        var file = Path.Combine(_env.Root, "upload.bin");
        var expected = WriteRandomFile(file, Size);
        var urlFile = Path.Combine(_env.Root, "upload.url");
        string[] args = ["tus-upload.mjs", new Uri(server.BaseAddress, "/v1/uploads").ToString(), file, urlFile];

        var first = LonghaulProcess.Start("node", args, null, folder);
        _env.Adopt(first);
        // Killed once a quarter of the bytes went out: part of the upload is stored, most is not.
        await first.WaitForLineAsync(l => l.StartsWith("progress ", StringComparison.Ordinal) && long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture) >= Size / 4, UploadTimeout, ct);
        first.Kill();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        var url = (await File.ReadAllTextAsync(urlFile, ct)).Trim();
        var stored = await OffsetAsync(server, url);
        Assert.InRange(stored, 1, Size - 1);

        var second = LonghaulProcess.Start("node", args, null, folder);
        _env.Adopt(second);
        Assert.True(await second.WaitForExitAsync(UploadTimeout, ct) == 0, second.Output);
        Assert.Contains($"done {url}", second.Stdout, StringComparison.Ordinal);
        // Every PATCH of both processes carried its SHA-1 (checksum extension), which the server verified before storing.
        Assert.Contains("checksum ", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("checksum ", second.Stdout, StringComparison.Ordinal);
        // The second process went on from the stored offset, not from 0.
        var firstProgress = second.Stdout.Split('\n').First(l => l.StartsWith("progress ", StringComparison.Ordinal));
        Assert.True(long.Parse(firstProgress.Split(' ')[1], CultureInfo.InvariantCulture) >= stored, firstProgress);

        Assert.Equal(Size, await OffsetAsync(server, url));
        await using var content = await server.Http.GetStreamAsync(url + "/content", ct);
        Assert.Equal(expected, Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct)));
    }

    private static async Task<long> OffsetAsync(LonghaulServerProcess server, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        using var response = await server.Http.SendAsync(request, EndToEndEnvironment.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>Writes <paramref name="size"/> random bytes; returns their SHA-256 (hex).</summary>
    private static string WriteRandomFile(string path, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stream = File.Create(path);
        var buffer = new byte[1024 * 1024];
        for (long written = 0; written < size; written += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            stream.Write(buffer);
            hash.AppendData(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
