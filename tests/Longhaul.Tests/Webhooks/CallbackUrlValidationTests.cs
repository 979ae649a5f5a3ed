using System.Net;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.Webhooks;

public sealed class CallbackUrlValidationTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "loopback")]
    [InlineData("http://2130706433/hook", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "private")]
    [InlineData("ftp://example.com/hook", "scheme")]
    [InlineData("/relative/hook", "scheme")]
    [InlineData("https://user:pass@example.com/hook", "credentials")]
    public async Task Start_RefusedCallbackUrl_Answers422NamingCallbackUrlWithTheReason(string url, string reason)
    {
        await using var host = await WebhookHosts.StartAsync(allowLoopback: false);

        using var response = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind = "sleep", input = new { seconds = 0 }, callback_url = url }), Http.Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Http.ReadJsonAsync(response);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("callback_url")[0].GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Start_CallbackUrlNotAString_Answers422WithTheOtherErrorsToo()
    {
        await using var host = await WebhookHosts.StartAsync();

        using var response = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind = "nope", callback_url = 5 }), Http.Ct);

        var errors = (await Http.ReadJsonAsync(response)).GetProperty("errors");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True(errors.TryGetProperty("callback_url", out _));
        Assert.True(errors.TryGetProperty("kind", out _));
    }

    [Fact]
    public async Task Start_CallbackUrlLongerThanTheCap_Answers422()
    {
        await using var host = await WebhookHosts.StartAsync();

        using var response = await host.Client.PostAsync("/v1/operations",
            Http.Json(new { kind = "sleep", callback_url = "http://127.0.0.1/" + new string('a', 3000) }), Http.Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("2048", (await Http.ReadJsonAsync(response)).GetProperty("errors").GetProperty("callback_url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AllowListedCallbackUrl_IsAccepted()
    {
        await using var host = await WebhookHosts.StartAsync();

        using var response = await host.Client.PostAsync("/v1/operations",
            Http.Json(new { kind = "sleep", input = new { seconds = 0 }, callback_url = "http://127.0.0.1:9/hook" }), Http.Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = await Http.ReadJsonAsync(response);
        Assert.Equal("http://127.0.0.1:9/hook", created.GetProperty("callback_url").GetString());
        var fetched = await Http.ReadJsonAsync(await host.Client.GetAsync(response.Headers.Location, Http.Ct));
        Assert.Equal("http://127.0.0.1:9/hook", fetched.GetProperty("callback_url").GetString());
    }

    [Fact]
    public async Task Start_WithoutCallbackUrl_ShowsNull()
    {
        await using var host = await WebhookHosts.StartAsync();

        using var response = await host.Client.PostAsync("/v1/operations", Http.Json(new { kind = "sleep", input = new { seconds = 0 } }), Http.Ct);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await Http.ReadJsonAsync(response)).GetProperty("callback_url").ValueKind);
    }
}
