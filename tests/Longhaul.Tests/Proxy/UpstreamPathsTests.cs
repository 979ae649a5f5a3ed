using Longhaul.Kinds.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>The one path rule of the <c>http</c> kind and the gateway: prefixes match whole segments.</summary>
public sealed class UpstreamPathsTests
{
    [Theory]
    [InlineData("/api", "/api", true)]
    [InlineData("/api", "/api/", true)]
    [InlineData("/api", "/api/x", true)]
    [InlineData("/api", "/api/x/y", true)]
    [InlineData("/api/", "/api", true)]
    [InlineData("/api/", "/api/x", true)]
    [InlineData("/api", "/%61pi/x", true)]          // an encoded unreserved character is the same character
    [InlineData("/", "/anything/at/all", true)]
    [InlineData("/v1/messages", "/v1/messages", true)]
    [InlineData("/api", "/apiary", false)]
    [InlineData("/api", "/api_admin", false)]
    [InlineData("/api/", "/api_admin", false)]
    [InlineData("/api", "/API/x", false)]           // paths are case-sensitive
    [InlineData("/api", "/api%2Fx", false)]         // an encoded '/' does not end a segment
    [InlineData("/api/x", "/api%2Fx", false)]
    [InlineData("/v1/messages", "/v1/messages_batches", false)]
    [InlineData("/v1/messages", "/v1", false)]
    public void IsAllowed_PrefixAndPath_MatchesWholeSegments(string prefix, string path, bool allowed)
    {
        Assert.Null(UpstreamPaths.FormProblem(path));
        Assert.Equal(allowed, UpstreamPaths.IsAllowed(path, [prefix]));
    }

    [Theory]
    [InlineData("/api/../admin")]
    [InlineData("/api/%2e%2e/admin")]
    [InlineData("/api/%2E%2E/admin")]
    [InlineData("/api%2F..%2Fadmin")]
    [InlineData("/api/./x")]
    [InlineData("/api/%2e/x")]
    [InlineData("/api//x")]
    [InlineData("/api%2F%2Fx")]
    [InlineData("/api%5C..%5Cadmin")]
    [InlineData("/api/x?y=1")]
    [InlineData("//evil.example/api")]
    [InlineData("http://evil.example/api")]
    [InlineData("api/x")]
    public void FormProblem_DotSegmentsEmptySegmentsOrNotAPath_IsRefused(string path)
        => Assert.NotNull(UpstreamPaths.FormProblem(path));

    [Theory]
    [InlineData("/", null)]
    [InlineData("/api", null)]
    [InlineData("/api/", null)]
    [InlineData("/v1/messages", null)]
    [InlineData("api", "must start with '/'")]
    [InlineData("/api/../admin", "must be a plain path")]
    [InlineData("/api//x", "must be a plain path")]
    [InlineData("/api?x", "must be a plain path")]
    [InlineData("//", "must be a plain path")]
    public void PrefixProblem_ConfiguredPrefix_IsCheckedAtStartUp(string prefix, string? problem)
    {
        if (problem is null) Assert.Null(UpstreamPaths.PrefixProblem(prefix));
        else Assert.StartsWith(problem, UpstreamPaths.PrefixProblem(prefix), StringComparison.Ordinal);
    }
}
