using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>Raw calls of the API and the worker protocol with a given key, for the remote-worker tests.</summary>
internal sealed class WorkerApi(HttpClient http, EndToEndEnvironment env)
{
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string? key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, EndToEndEnvironment.Ct);
        var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        return (response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, string? key, JsonNode body) => PostAsync(path, key, body.ToJsonString());

    public async Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string path, string? key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, EndToEndEnvironment.Ct);
        var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        return (response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body));
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, EndToEndEnvironment.Ct);
        var body = await response.Content.ReadAsStringAsync(EndToEndEnvironment.Ct);
        return (response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body));
    }

    /// <summary>Starts an operation of <paramref name="kind"/>; asserts 202 and returns its id.</summary>
    public async Task<string> StartAsync(string key, string kind, JsonNode input)
    {
        var (status, body) = await PostAsync("/v1/operations", key, new JsonObject { ["kind"] = kind, ["input"] = input });
        Assert.True(status == HttpStatusCode.Accepted, $"start answered {(int)status}: {body?.ToJsonString()}\n{env.Logs}");
        return body!["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetAsync(string key, string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path, key);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}: {body?.ToJsonString()}\n{env.Logs}");
        return body!;
    }

    /// <summary>Long-polls the operation until it is done.</summary>
    public async Task<JsonNode> WaitDoneAsync(string key, string id, TimeSpan timeout)
    {
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var op = await GetAsync(key, $"/v1/operations/{id}/wait?timeout=20");
            if (op["done"]!.GetValue<bool>()) return op;
            Assert.True(DateTimeOffset.UtcNow - started < timeout, $"{id} not done within {timeout}: {op.ToJsonString()}\n{env.Logs}");
        }
    }

    /// <summary>Creates a key with <c>longhaul keys create</c> on <paramref name="storeArgs"/>; returns the key.</summary>
    public static async Task<string> CreateKeyAsync(EndToEndEnvironment env, IReadOnlyDictionary<string, string>? environment, string[] storeArgs, params string[] keyArgs)
    {
        var run = await env.RunAsync(environment, ["keys", "create", .. keyArgs, .. storeArgs]);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.Stdout.Trim();
    }
}
