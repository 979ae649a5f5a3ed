using System.Net;
using System.Text;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>One server with two tenants, an existing finished operation of each, shared by the bad-input cases.</summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public HttpClient Main { get; private set; } = null!;

    public HttpClient Other { get; private set; } = null!;

    /// <summary>A finished operation of tenant <c>main</c>.</summary>
    public string Existing { get; private set; } = null!;

    /// <summary>A finished operation of tenant <c>other</c>.</summary>
    public string OthersOperation { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await TestHost.StartAsync(tenants: ["main", "other"]);
        Main = Host.Client;
        Other = Host.ClientFor("other");
        Existing = (await Main.StartOperationOkAsync("sleep", new { seconds = 0, steps = 2 })).Id();
        await Main.WaitDoneAsync(Existing);
        OthersOperation = (await Other.SleepAsync()).Id();
        await Other.WaitDoneAsync(OthersOperation);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

/// <summary>
/// Bad requests: each answers the right 4xx problem document and changes nothing — the number of operations and an
/// existing operation stay as they were, for both tenants.
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private const string Valid = """{"kind":"sleep","input":{"seconds":0}}""";
    private const string WellFormedMissing = "op_00000000000000000000000000";

    /// <summary>A bad request: how to build it, who sends it, and the problem it must answer.</summary>
    public sealed record BadCase(Func<BadInputFixture, HttpRequestMessage> Build, int Status, string Code, string? Field = null, Func<BadInputFixture, HttpClient>? Sender = null);

    private static HttpRequestMessage Post(string json) => new(HttpMethod.Post, "/v1/operations") { Content = Json(json) };

    private static HttpRequestMessage PostBytes(byte[] body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpRequestMessage(HttpMethod.Post, "/v1/operations") { Content = content };
    }

    private static HttpRequestMessage Invalid(string json) => Post(json);

    private static HttpRequestMessage WithKey(string key)
    {
        var request = Post(Valid);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static string Padding(int bytes) => new('x', bytes);

    private static string Nested(int depth) => """{"kind":"sleep","input":{"seconds":0},"metadata":""" + string.Concat(Enumerable.Repeat("""{"a":""", depth)) + "1" + new string('}', depth) + "}";

    private static readonly Dictionary<string, BadCase> Cases = new()
    {
        // 400: not JSON.
        ["malformed_json"] = new(_ => Post("""{"kind": "sleep",, "input": {}}"""), 400, "malformed_json"),
        ["truncated_json"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":1"""), 400, "malformed_json"),
        ["trailing_garbage"] = new(_ => Post(Valid + " {}"), 400, "malformed_json"),
        ["single_quotes"] = new(_ => Post("{'kind':'sleep'}"), 400, "malformed_json"),
        ["empty_body"] = new(_ => PostBytes([]), 400, "malformed_json"),
        ["invalid_utf8"] = new(_ => PostBytes([.. Encoding.ASCII.GetBytes("""{"kind":"sleep","input":{"seconds":0},"metadata":{"a":" """), 0xC3, 0x28, 0xFF, .. Encoding.ASCII.GetBytes("\"}}")]), 400, "malformed_json"),
        ["nested_1000"] = new(_ => Post(Nested(1000)), 400, "json_too_deep"),
        // 400: valid JSON syntax, but not I-JSON (RFC 7493): refused before anything is read or stored, naming the field.
        ["lone_high_surrogate_in_kind"] = new(_ => Post("""{"kind":"\ud800","input":{}}"""), 400, "invalid_unicode", "kind"),
        ["lone_low_surrogate_in_metadata"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"metadata":{"a":["ok","x\udc00"]}}"""), 400, "invalid_unicode", "metadata.a[1]"),
        ["reversed_pair_in_input"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0,"x":"\ude00\ud83d"}}"""), 400, "invalid_unicode", "input.x"),
        ["lone_surrogate_member_name"] = new(_ => Post("""{"kind":"sleep","input":{"\ud800":1}}"""), 400, "invalid_unicode", "input"),
        ["lone_surrogate_in_options"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"\udbff":1}}"""), 400, "invalid_unicode", "options"),
        ["duplicate_kind"] = new(_ => Post("""{"kind":"sleep","kind":"fail","input":{"seconds":0}}"""), 400, "duplicate_member", "kind"),
        ["duplicate_in_metadata"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"metadata":{"a":{"b":1,"b":2}}}"""), 400, "duplicate_member", "metadata.a.b"),
        // 413.
        ["too_large_content_length"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"metadata":{"pad":" """ + Padding(1024 * 1024) + "\"}}"), 413, "body_too_large"),
        ["too_large_chunked"] = new(_ =>
        {
            var request = Post("""{"kind":"sleep","input":{"seconds":0},"metadata":{"pad":" """ + Padding(1024 * 1024) + "\"}}");
            request.Headers.TransferEncodingChunked = true;
            return request;
        }, 413, "body_too_large"),
        // 415.
        ["content_type_text_plain"] = new(_ => PostBytes(Encoding.UTF8.GetBytes(Valid), "text/plain"), 415, "unsupported_media_type"),
        ["content_type_missing"] = new(_ => PostBytes(Encoding.UTF8.GetBytes(Valid), null), 415, "unsupported_media_type"),
        ["content_type_latin1"] = new(_ => PostBytes(Encoding.UTF8.GetBytes(Valid), "application/json; charset=latin1"), 415, "unsupported_media_type"),
        ["content_type_form"] = new(_ => PostBytes(Encoding.UTF8.GetBytes("kind=sleep"), "application/x-www-form-urlencoded"), 415, "unsupported_media_type"),
        // 422: valid JSON, wrong shape.
        ["body_array"] = new(_ => Post("""[{"kind":"sleep","input":{"seconds":0}}]"""), 422, "validation_failed", ""),
        ["body_string"] = new(_ => Post("\"sleep\""), 422, "validation_failed", ""),
        ["body_null"] = new(_ => Post("null"), 422, "validation_failed", ""),
        ["kind_missing"] = new(_ => Post("""{"input":{"seconds":0}}"""), 422, "validation_failed", "kind"),
        ["kind_unknown"] = new(_ => Post("""{"kind":"teleport","input":{}}"""), 422, "validation_failed", "kind"),
        ["kind_not_string"] = new(_ => Post("""{"kind":42,"input":{"seconds":0}}"""), 422, "validation_failed", "kind"),
        ["kind_null"] = new(_ => Post("""{"kind":null,"input":{"seconds":0}}"""), 422, "validation_failed", "kind"),
        ["unknown_field"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"colour":"red"}"""), 422, "validation_failed", "colour"),
        ["input_absent"] = new(_ => Post("""{"kind":"sleep"}"""), 422, "validation_failed", "input.seconds"),
        ["seconds_missing"] = new(_ => Post("""{"kind":"sleep","input":{"steps":2}}"""), 422, "validation_failed", "input.seconds"),
        ["seconds_negative"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":-1}}"""), 422, "validation_failed", "input.seconds"),
        ["seconds_too_large"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":86401}}"""), 422, "validation_failed", "input.seconds"),
        ["seconds_string"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":"5"}}"""), 422, "validation_failed", "input.seconds"),
        ["steps_zero"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":1,"steps":0}}"""), 422, "validation_failed", "input.steps"),
        ["steps_too_many"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":1,"steps":10001}}"""), 422, "validation_failed", "input.steps"),
        ["steps_fraction"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":1,"steps":1.5}}"""), 422, "validation_failed", "input.steps"),
        ["input_unknown_field"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":1,"bogus":true}}"""), 422, "validation_failed", "input.bogus"),
        ["input_not_object"] = new(_ => Post("""{"kind":"sleep","input":[1]}"""), 422, "validation_failed", "input"),
        ["max_attempts_zero"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"max_attempts":0}}"""), 422, "validation_failed", "options.max_attempts"),
        ["max_attempts_1000"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"max_attempts":1000}}"""), 422, "validation_failed", "options.max_attempts"),
        ["max_attempts_fraction"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"max_attempts":2.5}}"""), 422, "validation_failed", "options.max_attempts"),
        ["timeout_negative"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"timeout_seconds":-1}}"""), 422, "validation_failed", "options.timeout_seconds"),
        ["timeout_zero"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"timeout_seconds":0}}"""), 422, "validation_failed", "options.timeout_seconds"),
        ["timeout_string"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"timeout_seconds":"10"}}"""), 422, "validation_failed", "options.timeout_seconds"),
        ["priority_1000"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"priority":1000}}"""), 422, "validation_failed", "options.priority"),
        ["option_unknown"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":{"colour":"red"}}"""), 422, "validation_failed", "options.colour"),
        ["options_not_object"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"options":3}"""), 422, "validation_failed", "options"),
        ["metadata_array"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"metadata":[1,2]}"""), 422, "validation_failed", "metadata"),
        ["metadata_string"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"metadata":"x"}"""), 422, "validation_failed", "metadata"),
        ["metadata_too_large"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"metadata":{"pad":" """ + Padding(17 * 1024) + "\"}}"), 422, "validation_failed", "metadata"),
        ["callback_url"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"callback_url":"https://example.com/hook"}"""), 422, "validation_failed", "callback_url"),
        ["callback_url_loopback"] = new(_ => Post("""{"kind":"sleep","input":{"seconds":0},"callback_url":"http://127.0.0.1/hook"}"""), 422, "validation_failed", "callback_url"),
        // 400: Idempotency-Key.
        ["idempotency_key_empty"] = new(_ => WithKey(""), 400, "idempotency_key_invalid"),
        ["idempotency_key_256"] = new(_ => WithKey(new string('a', 256)), 400, "idempotency_key_invalid"),
        ["idempotency_key_non_ascii"] = new(_ => WithKey("schlüssel"), 400, "idempotency_key_invalid"),
        ["idempotency_key_control"] = new(_ => WithKey("a\tb"), 400, "idempotency_key_invalid"),
        // 404: ids that do not exist (or are not ids at all).
        ["id_not_an_id"] = new(_ => Get("/v1/operations/not-an-id"), 404, "operation_not_found"),
        ["id_very_long"] = new(_ => Get("/v1/operations/op_" + new string('a', 3000)), 404, "operation_not_found"),
        ["id_wrong_alphabet"] = new(_ => Get("/v1/operations/op_uuuuuuuuuuuuuuuuuuuuuuuuuu"), 404, "operation_not_found"),
        ["id_upper_case"] = new(f => Get("/v1/operations/" + f.Existing.ToUpperInvariant()), 404, "operation_not_found"),
        ["id_sql_like"] = new(_ => Get("/v1/operations/' OR '1'='1"), 404, "operation_not_found"),
        ["wait_wrong_alphabet"] = new(_ => Get("/v1/operations/op_iiiiiiiiiiiiiiiiiiiiiiiiii/wait?timeout=0"), 404, "operation_not_found"),
        ["events_not_an_id"] = new(_ => Get("/v1/operations/not-an-id/events"), 404, "operation_not_found"),
        ["cancel_not_an_id"] = new(_ => new HttpRequestMessage(HttpMethod.Post, "/v1/operations/not-an-id/cancel"), 404, "operation_not_found"),
        ["delete_wrong_alphabet"] = new(_ => new HttpRequestMessage(HttpMethod.Delete, "/v1/operations/op_llllllllllllllllllllllllll"), 404, "operation_not_found"),
        ["delete_missing"] = new(_ => new HttpRequestMessage(HttpMethod.Delete, $"/v1/operations/{WellFormedMissing}"), 404, "operation_not_found"),
        // 400: query parameters.
        ["list_bad_status"] = new(_ => Get("/v1/operations?status=done"), 400, "invalid_parameter", "status"),
        ["list_status_upper"] = new(_ => Get("/v1/operations?status=RUNNING"), 400, "invalid_parameter", "status"),
        ["list_page_size_0"] = new(_ => Get("/v1/operations?page_size=0"), 400, "invalid_parameter", "page_size"),
        ["list_page_size_1000"] = new(_ => Get("/v1/operations?page_size=1000"), 400, "invalid_parameter", "page_size"),
        ["list_page_size_abc"] = new(_ => Get("/v1/operations?page_size=abc"), 400, "invalid_parameter", "page_size"),
        ["list_page_size_negative"] = new(_ => Get("/v1/operations?page_size=-5"), 400, "invalid_parameter", "page_size"),
        ["list_page_token_garbage"] = new(_ => Get("/v1/operations?page_token=%21%21not-a-token%21%21"), 400, "invalid_parameter", "page_token"),
        ["list_page_token_zero_cursor"] = new(_ => Get("/v1/operations?page_token=djE6MA"), 400, "invalid_parameter", "page_token"),
        ["list_page_token_too_long"] = new(_ => Get("/v1/operations?page_token=" + new string('A', 200)), 400, "invalid_parameter", "page_token"),
        ["list_kind_empty"] = new(_ => Get("/v1/operations?kind="), 400, "invalid_parameter", "kind"),
        ["wait_timeout_negative"] = new(f => Get($"/v1/operations/{f.Existing}/wait?timeout=-1"), 400, "invalid_parameter", "timeout"),
        ["wait_timeout_abc"] = new(f => Get($"/v1/operations/{f.Existing}/wait?timeout=abc"), 400, "invalid_parameter", "timeout"),
        ["wait_timeout_infinity"] = new(f => Get($"/v1/operations/{f.Existing}/wait?timeout=Infinity"), 400, "invalid_parameter", "timeout"),
        ["events_bad_after"] = new(f => Get($"/v1/operations/{f.Existing}/events?after=x"), 400, "invalid_parameter", "after"),
        ["events_bad_last_event_id"] = new(f =>
        {
            var request = Get($"/v1/operations/{f.Existing}/events");
            request.Headers.TryAddWithoutValidation("Last-Event-ID", "ten");
            return request;
        }, 400, "invalid_parameter", "Last-Event-ID"),
        // 401.
        ["api_key_missing"] = new(_ => Post(Valid), 401, "unauthorized", Sender: f => f.Host.CreateClient()),
        ["api_key_wrong"] = new(_ => Post(Valid), 401, "unauthorized", Sender: f => f.Host.CreateClient("lh_wrong")),
        ["api_key_missing_list"] = new(_ => Get("/v1/operations"), 401, "unauthorized", Sender: f => f.Host.CreateClient()),
        // 404: another tenant's operation.
        ["other_tenant_get"] = new(f => Get($"/v1/operations/{f.OthersOperation}"), 404, "operation_not_found"),
        ["other_tenant_wait"] = new(f => Get($"/v1/operations/{f.OthersOperation}/wait?timeout=0"), 404, "operation_not_found"),
        ["other_tenant_events"] = new(f => Get($"/v1/operations/{f.OthersOperation}/events?after=0"), 404, "operation_not_found"),
        ["other_tenant_cancel"] = new(f => new HttpRequestMessage(HttpMethod.Post, $"/v1/operations/{f.OthersOperation}/cancel"), 404, "operation_not_found"),
        ["other_tenant_delete"] = new(f => new HttpRequestMessage(HttpMethod.Delete, $"/v1/operations/{f.OthersOperation}"), 404, "operation_not_found"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private async Task<(int Main, int Other, JsonElement Existing, JsonElement Others)> SnapshotAsync()
        => ((await fixture.Main.ListAllAsync()).Count, (await fixture.Other.ListAllAsync()).Count,
            await fixture.Main.GetJsonAsync($"/v1/operations/{fixture.Existing}"),
            await fixture.Other.GetJsonAsync($"/v1/operations/{fixture.OthersOperation}"));

    private async Task RunAsync(string name)
    {
        var bad = Cases[name];
        var before = await SnapshotAsync();

        using var request = bad.Build(fixture);
        using var response = await (bad.Sender?.Invoke(fixture) ?? fixture.Main).SendAsync(request, Ct);

        var problem = bad.Field is null
            ? await AssertProblemAsync(response, bad.Status, bad.Code)
            : await AssertProblemAsync(response, bad.Status, bad.Code, bad.Field);
        if (bad.Status == 401) Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(JsonValueKind.String, problem.GetProperty("title").ValueKind);
        var after = await SnapshotAsync();
        Assert.Equal(before.Main, after.Main);
        Assert.Equal(before.Other, after.Other);
        Assert.True(JsonElement.DeepEquals(before.Existing, after.Existing), $"{name} changed the existing operation");
        Assert.True(JsonElement.DeepEquals(before.Others, after.Others), $"{name} changed the other tenant's operation");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task Request_BadInput_AnswersProblemAndChangesNothing(string name) => RunAsync(name);

    [Fact]
    public async Task Create_SeveralBadFields_ListsEveryOneAtOnce()
    {
        using var response = await fixture.Main.PostAsync("/v1/operations",
            Json("""{"kind":"sleep","input":{"seconds":-3,"steps":0},"options":{"max_attempts":0,"priority":500},"metadata":7,"extra":1}"""), Ct);

        var problem = await AssertProblemAsync(response, 422, "validation_failed");
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["extra", "input.seconds", "input.steps", "metadata", "options.max_attempts", "options.priority"], fields);
    }

    [Fact]
    public async Task Server_AfterEveryBadInput_StillServesNormally()
    {
        foreach (var name in Cases.Keys)
        {
            using var request = Cases[name].Build(fixture);
            using var response = await (Cases[name].Sender?.Invoke(fixture) ?? fixture.Main).SendAsync(request, Ct);
            Assert.True((int)response.StatusCode == Cases[name].Status, $"{name}: {(int)response.StatusCode}");
        }
        var before = (await fixture.Main.ListAllAsync()).Count;

        var op = await fixture.Main.StartOperationOkAsync("sleep", new { seconds = 0 });
        var done = await fixture.Main.WaitDoneAsync(op.Id());

        Assert.Equal("succeeded", done.Status());
        Assert.Equal(before + 1, (await fixture.Main.ListAllAsync()).Count);
        using var health = await fixture.Host.CreateClient().GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
