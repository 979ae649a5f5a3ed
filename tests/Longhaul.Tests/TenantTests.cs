using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Longhaul.Tests.Infrastructure;
using static Longhaul.Tests.Infrastructure.Http;

namespace Longhaul.Tests;

/// <summary>API keys and tenant isolation: another tenant's operation is indistinguishable from a missing one.</summary>
public sealed class TenantTests
{
    private const string Missing = "op_00000000000000000000000000";

    /// <summary>The parts of a 404 that must not reveal whether the id exists.</summary>
    private static async Task<string> NotFoundShapeAsync(HttpResponseMessage response)
    {
        var problem = await AssertProblemAsync(response, 404, "operation_not_found");
        return string.Join("|", problem.GetProperty("type").GetString(), problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Request_NoKey_Answers401WithBearerChallenge()
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha"]);
        var anonymous = host.CreateClient();

        foreach (var path in new[] { "/v1/operations", "/v1/kinds", $"/v1/operations/{Missing}" })
        {
            using var response = await anonymous.GetAsync(path, Ct);
            await AssertProblemAsync(response, 401, "unauthorized");
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
        using var create = await anonymous.StartOperationAsync("sleep", new { seconds = 0 });
        await AssertProblemAsync(create, 401, "unauthorized");
        Assert.Empty(await host.Client.ListAllAsync());
    }

    [Theory]
    [InlineData("Bearer", "lh_not-a-real-key")]
    [InlineData("Bearer", "")]
    [InlineData("Basic", "YWxhZGRpbjpvcGVuc2VzYW1l")]
    [InlineData("Token", "KEY")]
    public async Task Request_WrongKey_Answers401(string scheme, string value)
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha"]);
        var client = host.CreateClient();
        var token = value == "KEY" ? host.Keys["alpha"] : value;
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{scheme} {token}".Trim());

        using var list = await client.GetAsync("/v1/operations", Ct);
        using var create = await client.StartOperationAsync("sleep", new { seconds = 0 });

        await AssertProblemAsync(list, 401, "unauthorized");
        Assert.Contains(list.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        await AssertProblemAsync(create, 401, "unauthorized");
        Assert.Empty(await host.Client.ListAllAsync());
    }

    [Fact]
    public async Task Request_RightKey_ActsAsItsTenant()
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha"]);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", host.Keys["alpha"]);

        var op = await client.SleepAsync();

        Assert.Equal(op.Id(), Assert.Single(await host.Client.ListAllAsync()).Id());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_WithKeysConfiguredAndNoKey_Answers200(string path)
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha"]);

        using var response = await host.CreateClient().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OtherTenant_RunningOperation_EveryEndpointAnswers404LikeMissingAndChangesNothing()
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha", "beta"]);
        var alpha = host.ClientFor("alpha");
        var beta = host.ClientFor("beta");
        var gate = host.NewGate();
        var id = (await alpha.StartOperationOkAsync(StubbornHandler.Name, gate.Input)).Id();
        await gate.Started.Task.WaitAsync(Ct);
        var before = await alpha.GetJsonAsync($"/v1/operations/{id}");

        foreach (var (method, suffix) in new[] { ("GET", ""), ("GET", "/wait?timeout=0"), ("GET", "/events"), ("GET", "/events?after=0"), ("POST", "/cancel"), ("DELETE", "") })
        {
            using var theirs = await beta.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/operations/{id}{suffix}"), Ct);
            using var missing = await beta.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/operations/{Missing}{suffix}"), Ct);
            Assert.Equal(await NotFoundShapeAsync(missing), await NotFoundShapeAsync(theirs));
        }
        Assert.DoesNotContain(await beta.ListAllAsync(), o => o.Id() == id);
        Assert.Empty(await beta.ListAllAsync());

        var after = await alpha.GetJsonAsync($"/v1/operations/{id}");
        Assert.Equal("running", after.Status());
        Assert.False(after.GetProperty("cancel_requested").GetBoolean());
        Assert.True(JsonElement.DeepEquals(before, after));
        Assert.False(gate.TokenFired.Task.IsCompleted);
        gate.Open();
        Assert.Equal("succeeded", (await alpha.WaitDoneAsync(id)).Status());
    }

    [Fact]
    public async Task OtherTenant_DeleteFinishedOperation_Answers404AndOwnerStillHasIt()
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha", "beta"]);
        var alpha = host.ClientFor("alpha");
        var beta = host.ClientFor("beta");
        var id = (await alpha.SleepAsync()).Id();
        var finished = await alpha.WaitDoneAsync(id);

        using var delete = await beta.DeleteAsync($"/v1/operations/{id}", Ct);
        using var cancel = await beta.PostAsync($"/v1/operations/{id}/cancel", null, Ct);

        await AssertProblemAsync(delete, 404, "operation_not_found");
        await AssertProblemAsync(cancel, 404, "operation_not_found"); // Not 409: that would reveal it exists.
        Assert.True(JsonElement.DeepEquals(finished, await alpha.GetJsonAsync($"/v1/operations/{id}")));
        Assert.Equal("done", (await SseReplayAsync(alpha, id))[^1].Type);
    }

    private static async Task<List<SseEvent>> SseReplayAsync(HttpClient client, string id)
    {
        using var stream = await SseClient.OpenAsync(client, $"/v1/operations/{id}/events?after=0");
        return await stream.ReadToEndAsync();
    }

    [Fact]
    public async Task List_TwoTenants_EachSeesOnlyItsOwn()
    {
        await using var host = await TestHost.StartAsync(tenants: ["alpha", "beta"]);
        var alpha = host.ClientFor("alpha");
        var beta = host.ClientFor("beta");
        var alphaIds = new List<string>();
        var betaIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            alphaIds.Add((await alpha.SleepAsync()).Id());
            betaIds.Add((await beta.SleepAsync()).Id());
        }

        Assert.Equal(Enumerable.Reverse(alphaIds), (await alpha.ListAllAsync()).Select(o => o.Id()));
        Assert.Equal(Enumerable.Reverse(betaIds), (await beta.ListAllAsync()).Select(o => o.Id()));
        Assert.Equal(Enumerable.Reverse(betaIds), (await beta.ListAllAsync("kind=sleep")).Select(o => o.Id()));
    }
}
