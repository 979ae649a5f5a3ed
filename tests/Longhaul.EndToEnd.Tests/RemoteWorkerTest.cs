using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// What the remote-worker tests share: a SQLite server with the Python example handlers' kinds declared remote, short
/// leases (3 s, heartbeat and reaper every second), a client key and a worker key of tenant <c>acme</c>.
/// </summary>
public abstract class RemoteWorkerTest : IAsyncDisposable
{
    private protected static readonly TimeSpan DoneTimeout = TimeSpan.FromSeconds(60);
    private protected static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);

    private protected EndToEndEnvironment Env { get; } = new();

    private protected LonghaulServerProcess Server { get; private set; } = null!;

    private protected WorkerApi Api { get; private set; } = null!;

    private protected string ClientKey { get; private set; } = "";

    private protected string WorkerKey { get; private set; } = "";

    private protected static CancellationToken Ct => EndToEndEnvironment.Ct;

    private protected string[] StoreArgs => ["--data-dir", Env.DataDir];

    /// <summary>An HTTP client of the server that sends the client key (for event streams).</summary>
    private protected HttpClient ClientHttp { get; private set; } = null!;

    /// <summary>
    /// A lease that outlives a hand-driven test: the tests that speak the protocol themselves send no heartbeats, and on
    /// a loaded machine the 3-second lease of <see cref="StartAsync(ValueTuple{string, string}[])"/> can expire between
    /// two of their calls.
    /// </summary>
    private protected static readonly (string Key, string Value) LongLease = ("Longhaul__LeaseDuration", "00:02:00");

    /// <summary>Creates the keys, then starts the server (3-second leases unless <paramref name="extra"/> says otherwise).</summary>
    private protected Task StartAsync(params (string Key, string Value)[] extra) => StartAsync(remoteKinds: true, extra);

    /// <summary>Creates the keys, then starts the server; without <paramref name="remoteKinds"/>, no remote kind is configured.</summary>
    private protected async Task StartAsync(bool remoteKinds, params (string Key, string Value)[] extra)
    {
        ClientKey = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--tenant", "acme");
        WorkerKey = await WorkerApi.CreateKeyAsync(Env, null, StoreArgs, "--scope", "worker", "--tenant", "acme");
        var environment = new Dictionary<string, string>();
        foreach (var (key, value) in (remoteKinds ? PythonWorker.RemoteKinds : []).Concat(PostgresTestSchema.ShortLease(3)).Concat(extra)) environment[key] = value;
        Server = await Env.StartServerAsync(environment);
        Api = new WorkerApi(Server.Http, Env);
        ClientHttp = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        ClientHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ClientKey);
    }

    private protected Task<string> StartReportAsync(int rows, double delay, string? key = null)
        => Api.StartAsync(key ?? ClientKey, "report", new JsonObject { ["rows"] = rows, ["delay"] = delay });

    /// <summary>An SSE stream of the operation with the client key.</summary>
    private protected Task<SseStream> EventsAsync(string id) => SseStream.OpenAsync(ClientHttp, $"/v1/operations/{id}/events?after=0", null, Ct);

    /// <summary>The whole event log of a finished operation.</summary>
    private protected async Task<IReadOnlyList<SseEvent>> LogAsync(string id)
    {
        await using var stream = await EventsAsync(id);
        await stream.ReadToEndAsync(TimeSpan.FromSeconds(30), Ct);
        return stream.Received;
    }

    public async ValueTask DisposeAsync()
    {
        await Env.DisposeAsync();
        ClientHttp?.Dispose();
        GC.SuppressFinalize(this);
    }
}
