using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Longhaul.EndToEnd.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// <c>Logging:Console:FormatterName=json</c> writes one JSON object per line, an attempt's lines carry its OperationId,
/// Kind, Attempt and Tenant as scopes, and secrets never reach the log even at Trace level: canary values for an API
/// key, the tenant's webhook signing secret and an upstream's Authorization header, each used during the test.
/// </summary>
public sealed partial class JsonLogsTests : IAsyncDisposable
{
    private readonly EndToEndEnvironment _env = new();

    public ValueTask DisposeAsync() => _env.DisposeAsync();

    [Fact]
    public async Task JsonConsole_WorkloadWithSecrets_EveryLineIsJsonWithScopesAndNoSecret()
    {
        var ct = EndToEndEnvironment.Ct;
        var create = await _env.RunAsync(null, "keys", "create", "--tenant", "acme", "--data-dir", _env.DataDir);
        Assert.True(create.ExitCode == 0, _env.Logs);
        var apiKey = create.Stdout.Trim();
        var upstreamToken = "canary-upstream-" + Guid.NewGuid().ToString("N");
        string? sentAuthorization = null;
        await using var upstream = await LocalUpstream.StartAsync(context =>
        {
            sentAuthorization = context.Request.Headers.Authorization.ToString();
            return context.Response.WriteAsync("ok", context.RequestAborted);
        }, ct);
        var hooks = new TaskCompletionSource();
        await using var receiver = await LocalUpstream.StartAsync(context =>
        {
            hooks.TrySetResult();
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        }, ct);
        var server = await _env.StartServerAsync(new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Default"] = "Trace",
            ["Longhaul__RetryBaseDelay"] = "00:00:00.100",
            ["Longhaul__Egress__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Longhaul__Upstreams__echo__BaseUrl"] = upstream.Address,
            ["Longhaul__Upstreams__echo__Headers__Authorization"] = "Bearer " + upstreamToken,
        });
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

        var retried = await StartAsync(server, "sleep", new JsonObject { ["seconds"] = 0.2, ["steps"] = 2, ["fail_attempts"] = 1 }, null);
        var call = await StartAsync(server, "http", new JsonObject { ["upstream"] = "echo", ["method"] = "GET", ["path"] = "/x" }, receiver.Address + "/hook");
        foreach (var id in new[] { retried, call })
        {
            var done = await _env.WaitUntilDoneAsync(server, id, TimeSpan.FromSeconds(60));
            Assert.True(done["status"]!.GetValue<string>() == "succeeded", $"{done.ToJsonString()}\n{_env.Logs}");
        }
        await hooks.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        var secrets = await _env.GetJsonAsync(server, "/v1/webhooks/secret");
        var webhookSecret = secrets["secrets"]![0]!["secret"]!.GetValue<string>();
        Assert.Equal("Bearer " + upstreamToken, sentAuthorization);
        server.Process.Terminate();
        await server.Process.WaitForExitAsync(TimeSpan.FromSeconds(30), ct);

        var log = server.Process.Stdout + "\n" + server.Process.Stderr;
        var lines = server.Process.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.All(entries, e => Assert.NotNull(e["Category"]));
        var retry = Assert.Single(entries, e => e["Message"]!.GetValue<string>().StartsWith($"Operation {retried} attempt 1 failed; retrying", StringComparison.Ordinal));
        var scope = retry["Scopes"]!.AsArray().Select(s => s!.AsObject()).Single(s => s.ContainsKey("OperationId"));
        Assert.Equal(retried, scope["OperationId"]!.GetValue<string>());
        Assert.Equal("sleep", scope["Kind"]!.GetValue<string>());
        Assert.Equal(1, scope["Attempt"]!.GetValue<int>());
        Assert.Equal("acme", scope["Tenant"]!.GetValue<string>());

        foreach (var (name, secret) in new[] { ("API key", apiKey), ("webhook secret", webhookSecret), ("upstream token", upstreamToken) })
        {
            foreach (var variant in Variants(secret))
                Assert.False(log.Contains(variant, StringComparison.Ordinal), $"The log holds the {name} ({variant}):\n{log}");
        }
    }

    /// <summary>The secret and its distinctive parts (a key's secret half, a whsec_ secret's base64 body).</summary>
    private static IEnumerable<string> Variants(string secret)
    {
        yield return secret;
        foreach (Match part in SecretPart().Matches(secret)) yield return part.Value;
    }

    private async Task<string> StartAsync(LonghaulServerProcess server, string kind, JsonObject input, string? callbackUrl)
    {
        var body = new JsonObject { ["kind"] = kind, ["input"] = input };
        if (callbackUrl is not null) body["callback_url"] = callbackUrl;
        using var response = await server.Http.PostAsync("/v1/operations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), EndToEndEnvironment.Ct);
        var text = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{text}\n{_env.Logs}");
        return JsonSerializer.Deserialize<JsonNode>(text)!["id"]!.GetValue<string>();
    }

    [GeneratedRegex("[A-Za-z0-9+/=_-]{16,}")]
    private static partial Regex SecretPart();
}
