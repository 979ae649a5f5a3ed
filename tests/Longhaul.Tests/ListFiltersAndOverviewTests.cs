using System.Net;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>The list filters the dashboard needs (statuses, time range, metadata, counts), the overview and the tenant-wide event stream.</summary>
public sealed class ListFiltersAndOverviewTests
{
    private static async Task<string> StartWithMetadataAsync(HttpClient client, string metadataJson)
    {
        var response = await client.PostAsync("/v1/operations", Json($$"""{"kind":"sleep","input":{"seconds":0},"metadata":{{metadataJson}}}"""), Ct);
        return (await ReadJsonAsync(response)).Id();
    }

    [Fact]
    public async Task List_SeveralStatusesTimeRangeAndMetadata_FilterAndCount()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        var acme = await StartWithMetadataAsync(host.Client, """{"customer":"acme","tag":"<script>"}""");
        var other = await StartWithMetadataAsync(host.Client, """{"customer":"other"}""");
        var third = await StartWithMetadataAsync(host.Client, """{"customer":"acme"}""");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync($"/v1/operations/{other}/cancel", null, Ct)).StatusCode);
        var createdAt = (await host.Client.GetJsonAsync($"/v1/operations/{acme}")).GetProperty("created_at").GetString()!;

        Assert.Equal([third, acme], (await host.Client.ListAllAsync("metadata.customer=acme")).Select(o => o.Id()));
        Assert.Equal([acme], (await host.Client.ListAllAsync("metadata.customer=acme&metadata.tag=" + Uri.EscapeDataString("<script>"))).Select(o => o.Id()));
        Assert.Equal([third, other, acme], (await host.Client.ListAllAsync("status=cancelled,pending")).Select(o => o.Id()));
        Assert.Equal([other], (await host.Client.ListAllAsync("status=cancelled,cancelled")).Select(o => o.Id()));
        Assert.Equal(3, (await host.Client.ListAllAsync("created_after=" + Uri.EscapeDataString(createdAt))).Count);
        Assert.Empty(await host.Client.ListAllAsync("created_before=" + Uri.EscapeDataString(createdAt)));
        Assert.Empty(await host.Client.ListAllAsync("created_after=2999-01-01T00:00:00%2B02:00"));

        var counted = await host.Client.GetJsonAsync("/v1/operations?count=true&page_size=1&status=pending");
        Assert.Equal(2, counted.GetProperty("total_count").GetInt64());
        Assert.True(counted.GetProperty("total_count_exact").GetBoolean());
        Assert.Single(counted.GetProperty("operations").EnumerateArray());
        var uncounted = await host.Client.GetJsonAsync("/v1/operations");
        Assert.False(uncounted.TryGetProperty("total_count", out _));
    }

    [Theory]
    [InlineData("status=running,", "status")]
    [InlineData("status=RUNNING", "status")]
    [InlineData("status=running&status=failed", "status")]
    [InlineData("status=", "status")]
    [InlineData("created_after=yesterday", "created_after")]
    [InlineData("created_after=2026-12-06", "created_after")]
    [InlineData("created_after=2026-12-06T10:00:00", "created_after")]
    [InlineData("created_before=2026-13-06T10:00:00Z", "created_before")]
    [InlineData("created_before=2026-12-06T10:00:00.1234567890Z", "created_before")]
    [InlineData("metadata.a%20b=x", "metadata.a b")]
    [InlineData("metadata.=x", "metadata.")]
    [InlineData("metadata.a=1&metadata.a=2", "metadata.a")]
    [InlineData("Metadata.a=1", "Metadata.a")]
    [InlineData("metadata.a=1&metadata.b=1&metadata.c=1&metadata.d=1&metadata.e=1", "metadata.e")]
    [InlineData("count=yes", "count")]
    [InlineData("count=True", "count")]
    public async Task List_BadFilterValue_Answers400NamingTheParameter(string query, string parameter)
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);

        var list = await host.Client.GetAsync("/v1/operations?" + query, Ct);
        await AssertProblemAsync(list, 400, "invalid_parameter", parameter);
        if (parameter != "count")
        {
            var events = await SseClient.SendAsync(host.Client, "/v1/events?" + query);
            await AssertProblemAsync(events, 400, "invalid_parameter", parameter);
        }
    }

    [Fact]
    public async Task List_MetadataValueTooLong_Answers400()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);

        var response = await host.Client.GetAsync("/v1/operations?metadata.k=" + new string('x', 257), Ct);

        await AssertProblemAsync(response, 400, "invalid_parameter", "metadata.k");
    }

    [Fact]
    public async Task List_PageTokenFromOtherFilters_IsRefused()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);
        for (var i = 0; i < 3; i++) await StartWithMetadataAsync(host.Client, """{"customer":"acme"}""");
        var first = await host.Client.GetJsonAsync("/v1/operations?page_size=1&metadata.customer=acme&status=pending,running");
        var token = Uri.EscapeDataString(first.GetProperty("next_page_token").GetString()!);

        var same = await host.Client.GetJsonAsync($"/v1/operations?page_size=1&metadata.customer=acme&status=running,pending&page_token={token}");
        var otherValue = await host.Client.GetAsync($"/v1/operations?page_size=1&metadata.customer=acm&status=pending,running&page_token={token}", Ct);
        var noMetadata = await host.Client.GetAsync($"/v1/operations?page_size=1&status=pending,running&page_token={token}", Ct);
        var oneStatus = await host.Client.GetAsync($"/v1/operations?page_size=1&metadata.customer=acme&status=pending&page_token={token}", Ct);
        var withTime = await host.Client.GetAsync($"/v1/operations?page_size=1&metadata.customer=acme&status=pending,running&created_after=2000-01-01T00:00:00Z&page_token={token}", Ct);

        Assert.Single(same.GetProperty("operations").EnumerateArray());
        await AssertProblemAsync(otherValue, 400, "invalid_parameter", "page_token");
        await AssertProblemAsync(noMetadata, 400, "invalid_parameter", "page_token");
        await AssertProblemAsync(oneStatus, 400, "invalid_parameter", "page_token");
        await AssertProblemAsync(withTime, 400, "invalid_parameter", "page_token");
    }

    [Fact]
    public async Task Overview_MixedOperations_CountsByStatusAndKindAndQueueDepth()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false, tenants: ["alpha", "beta"]);
        var alpha = host.ClientFor("alpha");
        await alpha.SleepAsync();
        await alpha.SleepAsync();
        var cancelled = (await alpha.SleepAsync()).Id();
        await alpha.PostAsync($"/v1/operations/{cancelled}/cancel", null, Ct);
        await host.ClientFor("beta").SleepAsync();

        var overview = await alpha.GetJsonAsync("/v1/overview");

        Assert.Equal(3600, overview.GetProperty("window_seconds").GetInt32());
        Assert.Equal(2, overview.GetProperty("by_status").GetProperty("pending").GetInt64());
        Assert.Equal(1, overview.GetProperty("by_status").GetProperty("cancelled").GetInt64());
        Assert.Equal(2, overview.GetProperty("queue_depth").GetInt64());
        var sleep = Assert.Single(overview.GetProperty("by_kind").EnumerateArray());
        Assert.Equal("sleep", sleep.GetProperty("kind").GetString());
        Assert.Equal(2, sleep.GetProperty("counts").GetProperty("pending").GetInt64());
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("failure_rate").ValueKind);
        Assert.True(overview.GetProperty("throughput_per_minute").GetDouble() > 0);
    }

    [Fact]
    public async Task Events_TenantStream_SendsMatchingStartsAndChangesOnly()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false, tenants: ["alpha", "beta"]);
        var alpha = host.ClientFor("alpha");
        using var stream = await SseClient.OpenAsync(alpha, "/v1/events?metadata.customer=acme");

        await StartWithMetadataAsync(host.ClientFor("beta"), """{"customer":"acme"}""");
        await StartWithMetadataAsync(alpha, """{"customer":"other"}""");
        var mine = await StartWithMetadataAsync(alpha, """{"customer":"acme"}""");
        var started = await stream.ReadEventAsync();
        await alpha.PostAsync($"/v1/operations/{mine}/cancel", null, Ct);
        var cancelled = await stream.ReadEventAsync();

        Assert.Equal("operation", started!.Type);
        Assert.Equal(mine, started.Data.Id());
        Assert.Equal("pending", started.Data.Status());
        Assert.Equal(mine, cancelled!.Data.Id());
        Assert.Equal("cancelled", cancelled.Data.Status());
        Assert.True(cancelled.Id >= started.Id);

        using var resumed = await SseClient.OpenAsync(alpha, "/v1/events?metadata.customer=acme", lastEventId: started.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var replayed = await resumed.ReadEventAsync();
        Assert.Equal(mine, replayed!.Data.Id());
        Assert.Equal("cancelled", replayed.Data.Status());
    }

    [Fact]
    public async Task Request_OfAnOperation_StartsTheSameOperationAgain()
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false, tenants: ["alpha", "beta"]);
        var alpha = host.ClientFor("alpha");
        var startBy = DateTimeOffset.UtcNow.AddMinutes(30).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var body = $$$"""{"kind":"sleep","input":{"seconds":1.5,"steps":3},"metadata":{"customer":"acme"},"options":{"timeout_seconds":60,"max_attempts":2,"priority":7,"concurrency_key":"acct-9","concurrency_limit":2,"start_by":"{{{startBy}}}"}}""";
        var first = await ReadJsonAsync(await alpha.PostAsync("/v1/operations", Json(body), Ct));

        var request = await alpha.GetJsonAsync($"/v1/operations/{first.Id()}/request");
        var again = await ReadJsonAsync(await alpha.PostAsync("/v1/operations", Json(request.GetRawText()), Ct));

        Assert.Equal("sleep", request.GetProperty("kind").GetString());
        Assert.Equal("""{"seconds":1.5,"steps":3}""", request.GetProperty("input").GetRawText());
        Assert.Equal(7, request.GetProperty("options").GetProperty("priority").GetInt32());
        Assert.Equal(60, request.GetProperty("options").GetProperty("timeout_seconds").GetDouble());
        Assert.NotEqual(first.Id(), again.Id());
        Assert.Equal("acme", again.GetProperty("metadata").GetProperty("customer").GetString());
        Assert.Equal(2, again.GetProperty("max_attempts").GetInt32());
        Assert.Equal("acct-9", again.GetProperty("concurrency_key").GetString());
        Assert.Equal(2, again.GetProperty("concurrency_limit").GetInt32());
        Assert.True(!request.GetProperty("options").TryGetProperty("start_by", out var copied) || copied.ValueKind == System.Text.Json.JsonValueKind.Null, request.GetRawText());
        Assert.False(again.TryGetProperty("start_by", out var startByAgain) && startByAgain.ValueKind != System.Text.Json.JsonValueKind.Null);
        await AssertProblemAsync(await host.ClientFor("beta").GetAsync($"/v1/operations/{first.Id()}/request", Ct), 404, "operation_not_found");
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("99999999999999999999")]
    public async Task Events_BadLastEventId_Answers400(string lastEventId)
    {
        await using var host = await TestHost.StartAsync(engine: o => o.RunWorkers = false);

        var response = await SseClient.SendAsync(host.Client, "/v1/events", lastEventId);

        await AssertProblemAsync(response, 400, "invalid_parameter", "Last-Event-ID");
    }
}
