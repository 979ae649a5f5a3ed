using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// What one test owns: a fresh temporary data directory and every process it started there. Disposing it kills the
/// leftovers and deletes the directory. <see cref="Logs"/> gathers every process's output for assertion messages.
/// </summary>
internal sealed class EndToEndEnvironment : IAsyncDisposable
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private readonly List<LonghaulProcess> _processes = [];
    private readonly List<LonghaulServerProcess> _servers = [];

    public EndToEndEnvironment()
    {
        Root = Path.Combine(Path.GetTempPath(), "longhaul-e2e", Guid.NewGuid().ToString("N"));
        DataDir = Path.Combine(Root, "data");
        Directory.CreateDirectory(Root);
    }

    /// <summary>The working directory of the child processes (no appsettings.json there).</summary>
    public string Root { get; }

    public string DataDir { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The output of every process this test started, oldest first.</summary>
    public string Logs
    {
        get
        {
            lock (_processes) return string.Join("\n", _processes.Select((p, i) => $"===== process {i + 1} =====\n{p.Output}"));
        }
    }

    /// <summary>Starts <c>longhaul serve</c> on this test's data directory and awaits its readiness.</summary>
    public async Task<LonghaulServerProcess> StartServerAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = await LonghaulServerProcess.StartAsync(DataDir, environment, Root, Ct);
        lock (_processes)
        {
            _processes.Add(server.Process);
            _servers.Add(server);
        }
        return server;
    }

    /// <summary>Starts <c>longhaul serve</c> on this test's data directory at <paramref name="port"/> (a restart where clients expect it).</summary>
    public async Task<LonghaulServerProcess> StartServerOnPortAsync(int port)
    {
        var server = await LonghaulServerProcess.StartAsync(["--data-dir", DataDir], null, Root, port, Ct);
        lock (_processes)
        {
            _processes.Add(server.Process);
            _servers.Add(server);
        }
        return server;
    }

    /// <summary>Starts <c>longhaul serve</c> with <paramref name="serveArgs"/> (no data directory added) and awaits its readiness.</summary>
    public async Task<LonghaulServerProcess> StartNodeAsync(IReadOnlyDictionary<string, string>? environment, params string[] serveArgs)
    {
        var server = await LonghaulServerProcess.StartAsync(serveArgs, environment, Root, Ct);
        lock (_processes)
        {
            _processes.Add(server.Process);
            _servers.Add(server);
        }
        return server;
    }

    /// <summary>Starts <c>longhaul</c> with any arguments (the caller adds <c>--data-dir</c> where wanted).</summary>
    public LonghaulProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = LonghaulProcess.Start(args, environment, Root);
        lock (_processes) _processes.Add(process);
        return process;
    }

    /// <summary>Makes <paramref name="process"/> (a sample app's, say) one of this test's: in <see cref="Logs"/>, killed with the test.</summary>
    public void Adopt(LonghaulProcess process)
    {
        lock (_processes) _processes.Add(process);
    }

    /// <summary>Runs a <c>longhaul</c> command to its end.</summary>
    public async Task<LonghaulProcess> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var process = Start(environment, args);
        await process.WaitForExitAsync(CommandTimeout, Ct);
        return process;
    }

    /// <summary><c>POST /v1/operations</c> of a <c>sleep</c>; asserts 202 and returns the operation id.</summary>
    public async Task<string> StartSleepAsync(LonghaulServerProcess server, object input, string? apiKey = null)
    {
        using var response = await PostOperationAsync(server, input, apiKey);
        return await AcceptedIdAsync(response);
    }

    /// <summary><c>POST /v1/operations</c> of <paramref name="json"/> (the whole request body); asserts 202 and returns the operation id.</summary>
    public async Task<string> StartOperationAsync(LonghaulServerProcess server, string json)
    {
        using var response = await server.Http.PostAsync("/v1/operations", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        return await AcceptedIdAsync(response);
    }

    private async Task<string> AcceptedIdAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /v1/operations answered {(int)response.StatusCode}: {body}\n{Logs}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    public static async Task<HttpResponseMessage> PostOperationAsync(LonghaulServerProcess server, object input, string? apiKey = null)
    {
        var json = new JsonObject { ["kind"] = "sleep", ["input"] = System.Text.Json.JsonSerializer.SerializeToNode(input) }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/operations") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return await server.Http.SendAsync(request, Ct);
    }

    /// <summary>GETs a JSON resource; asserts 200.</summary>
    public async Task<JsonNode> GetJsonAsync(LonghaulServerProcess server, string path)
    {
        using var response = await server.Http.GetAsync(path, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}\n{Logs}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Long-polls <c>/wait</c> until the operation is done (each poll is capped at 30 s by the server).</summary>
    public async Task<JsonNode> WaitUntilDoneAsync(LonghaulServerProcess server, string id, TimeSpan timeout)
    {
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            var op = await GetJsonAsync(server, $"/v1/operations/{id}/wait?timeout=30");
            if (op["done"]!.GetValue<bool>()) return op;
            Assert.True(DateTimeOffset.UtcNow - started < timeout, $"Operation {id} not done within {timeout.TotalSeconds} s: {op.ToJsonString()}\n{Logs}");
        }
    }

    /// <summary>Reads the operation's whole event log (<c>?after=0</c>) up to its <c>done</c> event.</summary>
    public async Task<IReadOnlyList<SseEvent>> ReadFullLogAsync(LonghaulServerProcess server, string id)
    {
        await using var stream = await SseStream.OpenAsync(server.Http, $"/v1/operations/{id}/events?after=0", null, Ct);
        await stream.ReadToEndAsync(TimeSpan.FromSeconds(30), Ct);
        return stream.Received;
    }

    public async ValueTask DisposeAsync()
    {
        LonghaulServerProcess[] servers;
        LonghaulProcess[] processes;
        lock (_processes)
        {
            servers = [.. _servers];
            processes = [.. _processes];
        }
        foreach (var server in servers) await server.DisposeAsync();
        foreach (var process in processes) await process.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort; it is under the temp directory.
        }
    }
}
