using System.Net;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>Listing with filters and cursors, the kinds catalogue, health probes and routing errors.</summary>
public sealed class ListKindsAndRoutingTests
{
    [Fact]
    public async Task List_MixedOperations_NewestFirstAndFiltersByStatusAndKind()
    {
        await using var host = await TestHost.StartAsync();
        var created = new List<string>();
        for (var i = 0; i < 4; i++) created.Add((await host.Client.SleepAsync()).Id());
        var failed = (await host.Client.StartOperationOkAsync(FailHandler.Name, new { })).Id();
        created.Add(failed);
        var gate = host.NewGate();
        var running = (await host.Client.StartOperationOkAsync(GateHandler.Name, gate.Input)).Id();
        created.Add(running);
        await gate.Started.Task.WaitAsync(Ct);
        foreach (var id in created.Where(id => id != running)) await host.Client.WaitDoneAsync(id);

        var page = await host.Client.GetJsonAsync("/v1/operations");
        var all = page.GetProperty("operations").EnumerateArray().Select(o => o.Id()).ToList();
        Assert.Equal(Enumerable.Reverse(created), all);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_token").ValueKind);

        var succeeded = (await host.Client.ListAllAsync("status=succeeded")).Select(o => o.Id()).ToList();
        Assert.Equal(Enumerable.Reverse(created.Take(4)), succeeded);
        Assert.Equal([failed], (await host.Client.ListAllAsync("status=failed")).Select(o => o.Id()));
        Assert.Equal([running], (await host.Client.ListAllAsync("status=running")).Select(o => o.Id()));
        Assert.Empty(await host.Client.ListAllAsync("status=cancelled"));
        Assert.Empty(await host.Client.ListAllAsync("status=pending"));
        Assert.Equal([running], (await host.Client.ListAllAsync("kind=gate")).Select(o => o.Id()));
        Assert.Equal(4, (await host.Client.ListAllAsync("kind=sleep")).Count);
        Assert.Empty(await host.Client.ListAllAsync("kind=nope"));
        Assert.Equal([failed], (await host.Client.ListAllAsync("kind=fail&status=failed")).Select(o => o.Id()));
        Assert.Empty(await host.Client.ListAllAsync("kind=sleep&status=failed"));
    }

    [Fact]
    public async Task List_PageTokens_WalkAllOperationsWithoutGapOrOverlap()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        var created = new List<string>();
        for (var i = 0; i < 7; i++) created.Add((await host.Client.SleepAsync()).Id());

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await host.Client.GetJsonAsync("/v1/operations?page_size=3" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)));
            var ids = page.GetProperty("operations").EnumerateArray().Select(o => o.Id()).ToList();
            Assert.InRange(ids.Count, 1, 3);
            seen.AddRange(ids);
            token = page.GetProperty("next_page_token").GetString();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task List_ExactlyFullLastPage_EndsWithNullToken()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        for (var i = 0; i < 4; i++) await host.Client.SleepAsync();

        var first = await host.Client.GetJsonAsync("/v1/operations?page_size=2");
        var token = first.GetProperty("next_page_token").GetString();
        Assert.NotNull(token);
        var second = await host.Client.GetJsonAsync("/v1/operations?page_size=2&page_token=" + Uri.EscapeDataString(token));

        Assert.Equal(2, second.GetProperty("operations").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_page_token").ValueKind);
    }

    [Fact]
    public async Task List_PageTokenOfAnotherFilterOrTampered_Answers400InvalidParameter()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        for (var i = 0; i < 3; i++) await host.Client.SleepAsync();
        var token = (await host.Client.GetJsonAsync("/v1/operations?page_size=1&kind=sleep")).GetProperty("next_page_token").GetString()!;
        var flipped = token[..10] + (token[10] == 'x' ? 'y' : 'x') + token[11..];

        foreach (var query in new[] { "kind=other", "status=pending&kind=sleep", "", $"kind=sleep&flipped" })
        {
            var url = query == "kind=sleep&flipped"
                ? "/v1/operations?page_size=1&kind=sleep&page_token=" + Uri.EscapeDataString(flipped)
                : $"/v1/operations?page_size=1&{query}&page_token=" + Uri.EscapeDataString(token);
            using var response = await host.Client.GetAsync(url, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{query}: {body}");
            Assert.Contains("\"invalid_parameter\"", body, StringComparison.Ordinal);
        }
        using var ok = await host.Client.GetAsync("/v1/operations?page_size=1&kind=sleep&page_token=" + Uri.EscapeDataString(token), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task List_NewOperationsDuringPaging_DoNotShiftLaterPages()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        var created = new List<string>();
        for (var i = 0; i < 4; i++) created.Add((await host.Client.SleepAsync()).Id());

        var first = await host.Client.GetJsonAsync("/v1/operations?page_size=2");
        await host.Client.SleepAsync(); // Newer than everything listed: must not appear in or shift the next page.
        var second = await host.Client.GetJsonAsync("/v1/operations?page_size=2&page_token=" + Uri.EscapeDataString(first.GetProperty("next_page_token").GetString()!));

        var ids = first.GetProperty("operations").EnumerateArray().Concat(second.GetProperty("operations").EnumerateArray()).Select(o => o.Id());
        Assert.Equal(Enumerable.Reverse(created), ids);
    }

    [Fact]
    public async Task List_Empty_AnswersEmptyArrayAndNullToken()
    {
        await using var host = await TestHost.StartAsync();

        var page = await host.Client.GetJsonAsync("/v1/operations");

        Assert.Equal(0, page.GetProperty("operations").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_token").ValueKind);
    }

    [Fact]
    public async Task Kinds_Get_ListsSleepWithInputSchema()
    {
        await using var host = await TestHost.StartAsync();

        var body = await host.Client.GetJsonAsync("/v1/kinds");

        var kinds = body.GetProperty("kinds").EnumerateArray().ToList();
        var sleep = Assert.Single(kinds, k => k.GetProperty("name").GetString() == "sleep");
        Assert.False(string.IsNullOrWhiteSpace(sleep.GetProperty("description").GetString()));
        var schema = sleep.GetProperty("input_schema");
        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal("number", schema.GetProperty("properties").GetProperty("seconds").GetProperty("type").GetString());
        Assert.Contains("seconds", schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains(kinds, k => k.GetProperty("name").GetString() == GateHandler.Name);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_Probe_Answers200(string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.CreateClient().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.String, body.GetProperty("status").ValueKind);
    }

    [Theory]
    [InlineData("GET", "/v2/operations")]
    [InlineData("GET", "/v1/nothing-here")]
    [InlineData("GET", "/v1/operations/op_00000000000000000000000000/bogus")]
    [InlineData("POST", "/nope")]
    [InlineData("GET", "/favicon.ico")]
    public async Task Route_Unknown_Answers404Problem(string method, string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await AssertProblemAsync(response, 404, "not_found");
    }

    [Theory]
    [InlineData("PUT", "/v1/operations")]
    [InlineData("DELETE", "/v1/operations")]
    [InlineData("PATCH", "/v1/operations/op_00000000000000000000000000")]
    [InlineData("POST", "/v1/operations/op_00000000000000000000000000")]
    [InlineData("GET", "/v1/operations/op_00000000000000000000000000/cancel")]
    [InlineData("POST", "/v1/kinds")]
    [InlineData("POST", "/healthz")]
    public async Task Route_WrongMethod_Answers405Problem(string method, string path)
    {
        await using var host = await TestHost.StartAsync();

        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await AssertProblemAsync(response, 405, "method_not_allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
    }
}
