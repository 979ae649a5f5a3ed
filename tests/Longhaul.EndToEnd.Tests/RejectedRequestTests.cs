using System.Text;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// Requests Kestrel rejects itself, before any of Longhaul's code runs, sent as raw bytes to the real binary: each
/// answers Kestrel's status with an RFC 9457 problem document and a stable code (ADR 11), like every other error.
/// </summary>
public sealed class RejectedRequestTests : IAsyncLifetime
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, byte[]> Requests = new()
    {
        ["header_too_large"] = Ascii($"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n"),
        ["too_many_headers"] = Ascii($"GET /healthz HTTP/1.1\r\nHost: x\r\n{string.Concat(Enumerable.Range(0, 200).Select(i => $"X-{i}: 1\r\n"))}\r\n"),
        ["uri_too_long"] = Ascii($"GET /{new string('a', 10_000)} HTTP/1.1\r\nHost: x\r\n\r\n"),
        ["bad_request_line"] = Ascii("GARBAGE\r\n\r\n"),
        ["nul_in_header"] = Ascii("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n"),
        ["missing_host"] = Ascii("GET /healthz HTTP/1.1\r\n\r\n"),
        ["transfer_encoding_not_chunked"] = Ascii("POST /v1/operations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
        ["bad_content_length"] = Ascii("POST /v1/operations HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"),
        ["bad_chunk_size"] = Ascii("POST /v1/operations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
        ["unsupported_version"] = Ascii("GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n"),
        ["second_request_malformed"] = Ascii("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n"),
    };

    private readonly EndToEndEnvironment _env = new();
    private LonghaulServerProcess? _server;

    public async ValueTask InitializeAsync() => _server = await _env.StartServerAsync();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Theory]
    [InlineData("header_too_large", 431, "request_headers_too_large")]
    [InlineData("too_many_headers", 431, "request_headers_too_large")]
    [InlineData("uri_too_long", 414, "uri_too_long")]
    [InlineData("bad_request_line", 400, "bad_request")]
    [InlineData("nul_in_header", 400, "bad_request")]
    [InlineData("missing_host", 400, "bad_request")]
    [InlineData("transfer_encoding_not_chunked", 400, "bad_request")]
    [InlineData("bad_content_length", 400, "bad_request")]
    [InlineData("bad_chunk_size", 400, "bad_request")]
    [InlineData("unsupported_version", 505, "http_version_not_supported")]
    public async Task RawRequest_RejectedBeforeLonghaulRuns_AnswersProblemWithStableCode(string name, int status, string code)
    {
        var answer = await RawHttp.SendAsync(_server!.BaseAddress, Requests[name], AnswerTimeout, EndToEndEnvironment.Ct);

        var message = $"{name}:\n{answer.Raw}\n{_env.Logs}";
        Assert.True(answer.Status == status, message);
        Assert.True(answer.Headers.TryGetValue("Content-Type", out var type) && type == "application/problem+json", message);
        var problem = answer.Json!;
        Assert.True(problem["code"]?.GetValue<string>() == code, message);
        Assert.True(problem["status"]?.GetValue<int>() == status, message);
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()), message);
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()), message);
    }

    [Fact]
    public async Task RawRequest_MalformedAfterAGoodOne_GoodOneAnswered200ThenProblem()
    {
        var answer = await RawHttp.SendAsync(_server!.BaseAddress, Requests["second_request_malformed"], AnswerTimeout, EndToEndEnvironment.Ct);

        // The first answer is the health check (chunked); the second head follows it on the same connection.
        var message = $"{answer.Raw}\n{_env.Logs}";
        Assert.True(answer.Status == 200, message);
        var second = answer.Raw.IndexOf("HTTP/1.1 400 Bad Request\r\n", StringComparison.Ordinal);
        Assert.True(second > 0, message);
        Assert.Contains("Content-Type: application/problem+json", answer.Raw[second..], StringComparison.Ordinal);
        Assert.Contains("\"code\":\"bad_request\"", answer.Raw[second..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawHeadRequest_HeaderTooLarge_Answers431WithoutBody()
    {
        var request = Ascii($"HEAD /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40_000)}\r\n\r\n");

        var answer = await RawHttp.SendAsync(_server!.BaseAddress, request, AnswerTimeout, EndToEndEnvironment.Ct);

        // A HEAD answer never has a body, so Kestrel's own (empty) one stays.
        Assert.True(answer.Status == 431 && answer.Body.Length == 0, answer.Raw);
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
