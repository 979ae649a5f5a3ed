using System.Net;
using System.Text;
using System.Text.Json;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// The hostile bodies of the Hardening issue through the real <c>longhaul</c> binary, on SQLite and on PostgreSQL
/// (an API node and a worker node): strings that are not valid Unicode and repeated member names are refused with
/// 400 naming the field, before anything is stored; unusual but valid JSON is stored, run and read back as sent by
/// GET, wait, events and list.
/// </summary>
public sealed class HostileJsonTests : PostgresNodesTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string Unusual = """{"nul":"a\u0000b","pair":"\ud83d\ude00","ls":"\u2028","big":1e999999,"long":123456789012345678901234567890,"a.b":[[[["deep"]]]],"":"empty name"}""";

    private static readonly (string Body, string Code, string Field)[] Refused =
    [
        ("""{"kind":"\ud800","input":{}}""", "invalid_unicode", "kind"),
        ("""{"kind":"sleep","input":{"seconds":0},"metadata":{"a":["ok","x\udc00"]}}""", "invalid_unicode", "metadata.a[1]"),
        ("""{"kind":"sleep","input":{"\ud800":1}}""", "invalid_unicode", "input"),
        ("""{"kind":"sleep","input":{"seconds":0},"metadata":{"a":1,"a":2}}""", "duplicate_member", "metadata.a"),
    ];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Create_HostileBodies_RefusedWithFieldOrStoredAndReadAsSent(string store)
    {
        var ct = EndToEndEnvironment.Ct;
        LonghaulServerProcess api;
        if (store == "postgres")
        {
            CreateSchema();
            api = await Env.StartNodeAsync(Schema.Environment(), "--role", "api");
            await Env.StartNodeAsync(Schema.Environment(), "--role", "worker", "--no-migrate");
        }
        else
        {
            api = await Env.StartServerAsync();
        }

        foreach (var (body, code, field) in Refused)
        {
            using var refused = await api.Http.PostAsync("/v1/operations", Json(body), ct);
            var text = await refused.Content.ReadAsStringAsync(ct);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)refused.StatusCode} {text}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{body}: {text}");
        }
        Assert.Empty((await Env.GetJsonAsync(api, "/v1/operations"))["operations"]!.AsArray());

        var create = $$"""{"kind":"sleep","input":{"seconds":0,"steps":1},"metadata":{{Unusual}}}""";
        using var created = await api.Http.PostAsync("/v1/operations", Json(create), ct);
        var createdText = await created.Content.ReadAsStringAsync(ct);
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, createdText);
        var id = JsonDocument.Parse(createdText).RootElement.GetProperty("id").GetString()!;

        var done = await Env.WaitUntilDoneAsync(api, id, Timeout);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        foreach (var path in new[] { $"/v1/operations/{id}", $"/v1/operations/{id}/wait?timeout=0" })
        {
            using var read = await api.Http.GetAsync(path, ct);
            var readText = await read.Content.ReadAsStringAsync(ct);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"{path}: {readText}");
            Assert.Equal(Unusual, JsonDocument.Parse(readText).RootElement.GetProperty("metadata").GetRawText());
        }
        var listed = (await Env.GetJsonAsync(api, "/v1/operations"))["operations"]!.AsArray();
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<string>());
        var log = await Env.ReadFullLogAsync(api, id);
        Assert.Equal("done", log[^1].Type);
    }

    private static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
