using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>List calls (<c>GET /v1/operations</c>) with an API key, and what a page token may not reveal.</summary>
internal static class OperationPages
{
    public static async Task<(HttpStatusCode Status, JsonNode Body)> ListAsync(LonghaulServerProcess server, string query, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/operations?" + query);
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await server.Http.SendAsync(request, EndToEndEnvironment.Ct);
        var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        return (response.StatusCode, JsonNode.Parse(body)!);
    }

    /// <summary>Walks every page of <paramref name="query"/> and returns the ids in order and the tokens that led there.</summary>
    public static async Task<(List<string> Ids, List<string> Tokens)> WalkAsync(LonghaulServerProcess server, string query, string? apiKey)
    {
        var ids = new List<string>();
        var tokens = new List<string>();
        string? token = null;
        for (var page = 0; page < 100; page++)
        {
            var (status, body) = await ListAsync(server, query + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)), apiKey);
            Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
            ids.AddRange(body["operations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));
            token = body["next_page_token"]?.GetValue<string>();
            if (token is null) return (ids, tokens);
            tokens.Add(token);
        }
        throw new InvalidOperationException("More than 100 pages.");
    }

    /// <summary>
    /// Fails when <paramref name="token"/> holds any sequence up to <paramref name="maxSequence"/> in a decodable form:
    /// the old <c>v1:&lt;n&gt;</c> text, or a 4- or 8-byte integer of either byte order (random bytes match one of those
    /// by chance with a probability far below one in a million).
    /// </summary>
    public static void AssertRevealsNoSequence(string token, long maxSequence)
    {
        Assert.True(Base64Url.IsValid(token), token);
        var bytes = Base64Url.DecodeFromChars(token);
        Assert.DoesNotContain("v1:", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        Span<byte> form = stackalloc byte[8];
        for (var seq = 1L; seq <= maxSequence; seq++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(form, seq);
            Assert.True(bytes.AsSpan().IndexOf(form) < 0 && bytes.AsSpan().IndexOf(form[4..]) < 0, $"token {token} holds {seq} (big-endian)");
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(form, seq);
            Assert.True(bytes.AsSpan().IndexOf(form) < 0 && bytes.AsSpan().IndexOf(form[..4]) < 0, $"token {token} holds {seq} (little-endian)");
        }
    }
}
