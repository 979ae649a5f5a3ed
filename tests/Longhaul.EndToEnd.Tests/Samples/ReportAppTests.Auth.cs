using System.Net;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests.Samples;

/// <summary>ReportApp's own sign-in in front of Longhaul's API and its <c>POST /reports</c>.</summary>
public sealed partial class ReportAppTests
{
    [Fact]
    public async Task NoOrUnknownToken_Is401ProblemWithBearerChallenge_OnV1AndOnReports()
    {
        var app = await StartAppAsync();
        var anonymous = app.CreateClient(null);
        var unknown = app.CreateClient("not-a-user");

        foreach (var (client, method, path) in new[] { (anonymous, HttpMethod.Get, "/v1/kinds"), (anonymous, HttpMethod.Post, "/reports"), (unknown, HttpMethod.Get, "/v1/operations") })
        {
            using var request = new HttpRequestMessage(method, path);
            if (method == HttpMethod.Post) request.Content = new StringContent("""{"title":"x","pages":1}""", System.Text.Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode} {body}\n{Logs}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("unauthorized", JsonNode.Parse(body)!["code"]!.GetValue<string>());
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using var health = await anonymous.GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task UserWithoutTenant_Is403Problem_NotTheDefaultTenant()
    {
        var app = await StartAppAsync();
        using var response = await app.CreateClient(CarolToken).GetAsync("/v1/operations", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{(int)response.StatusCode} {body}\n{Logs}");
        Assert.Equal("forbidden", JsonNode.Parse(body)!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReportStartedFromCodeByAlice_IsHersOverV1_AndInvisibleToBobOfAnotherTenant()
    {
        var app = await StartAppAsync();
        var bob = app.CreateClient(BobToken);
        using var started = await PostJsonAsync(app, "/reports", """{"title":"Acme only","pages":2,"pageMilliseconds":10}""", "shared-key");
        var startedBody = await started.Content.ReadAsStringAsync(Ct);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"{(int)started.StatusCode} {startedBody}\n{Logs}");
        var location = started.Headers.Location!.OriginalString;
        var id = JsonNode.Parse(startedBody)!["id"]!.GetValue<string>();

        var op = await app.WaitUntilDoneAsync(location, DoneTimeout, Ct);   // alice, over /v1
        Assert.True(op["status"]!.GetValue<string>() == "succeeded" && op["kind"]!.GetValue<string>() == "report", $"{op.ToJsonString()}\n{Logs}");
        var alicesList = await app.GetJsonAsync("/v1/operations", Ct);
        Assert.Contains(id, alicesList["operations"]!.AsArray().Select(o => o!["id"]!.GetValue<string>()));

        using var foreign = await bob.GetAsync(location, Ct);
        var foreignBody = await foreign.Content.ReadAsStringAsync(Ct);
        Assert.True(foreign.StatusCode == HttpStatusCode.NotFound, $"{(int)foreign.StatusCode} {foreignBody}\n{Logs}");
        Assert.Equal("operation_not_found", JsonNode.Parse(foreignBody)!["code"]!.GetValue<string>());
        using var bobsList = await bob.GetAsync("/v1/operations", Ct);
        Assert.Empty(JsonNode.Parse(await bobsList.Content.ReadAsStringAsync(Ct))!["operations"]!.AsArray());

        // The idempotency key is the tenant's: bob's start with the same key is a new operation of his own.
        using var bobs = new HttpRequestMessage(HttpMethod.Post, "/reports")
        {
            Content = new StringContent("""{"title":"Globex","pages":1,"pageMilliseconds":10}""", System.Text.Encoding.UTF8, "application/json"),
        };
        bobs.Headers.Add("Idempotency-Key", "shared-key");
        using var bobStarted = await bob.SendAsync(bobs, Ct);
        var bobBody = await bobStarted.Content.ReadAsStringAsync(Ct);
        Assert.True(bobStarted.StatusCode == HttpStatusCode.Accepted, $"{(int)bobStarted.StatusCode} {bobBody}\n{Logs}");
        Assert.NotEqual(id, JsonNode.Parse(bobBody)!["id"]!.GetValue<string>());
        Assert.False(JsonNode.Parse(bobBody)!["replayed"]!.GetValue<bool>(), bobBody);
    }
}
