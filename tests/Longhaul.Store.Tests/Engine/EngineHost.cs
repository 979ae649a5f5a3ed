using System.Text.Json;
using Longhaul.Sqlite;
using Longhaul.Storage;
using Longhaul.Store.Tests.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Longhaul.Store.Tests.Engine;

/// <summary>A real Longhaul host (engine, maintenance, SQLite store on a temp file) with the test kinds registered.</summary>
public sealed class EngineHost : IAsyncDisposable
{
    public const string Tenant = "engine-tests";

    /// <summary>A failure guard only: outcomes are awaited through store notifications, never by polling.</summary>
    public static readonly TimeSpan OutcomeTimeout = TimeSpan.FromSeconds(20);

    private readonly IHost _host;
    private readonly TempDatabase? _ownedDatabase;
    private bool _stopped;

    private EngineHost(IHost host, TempDatabase? ownedDatabase)
    {
        _host = host;
        _ownedDatabase = ownedDatabase;
    }

    public IOperationStore Store => _host.Services.GetRequiredService<IOperationStore>();

    public IStoreNotifier Notifier => _host.Services.GetRequiredService<IStoreNotifier>();

    public HandlerProbe Probe => _host.Services.GetRequiredService<HandlerProbe>();

    /// <summary>The host's meter factory: its meters' <c>Scope</c>, to tell this host's measurements from other tests'.</summary>
    public object MeterScope => _host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Builds and starts a host on <paramref name="database"/> (a new temp file, deleted on dispose, when null); logs go
    /// to <paramref name="logs"/> when given, nowhere otherwise.
    /// </summary>
    public static async Task<EngineHost> StartAsync(Action<LonghaulEngineOptions>? configure = null, TempDatabase? database = null, ILoggerProvider? logs = null)
    {
        var owned = database is null ? new TempDatabase() : null;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<HandlerProbe>();
        builder.Services.AddLonghaul(configure: o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.LeaseDuration = TimeSpan.FromSeconds(10);
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
            o.ReaperInterval = TimeSpan.FromMilliseconds(200);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(20);
            o.ShutdownGracePeriod = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        builder.Services.AddLonghaulSqlite((database ?? owned)!.Path);
        builder.Services.AddOperationHandler<SucceedingHandler>();
        builder.Services.AddOperationHandler<PermanentFailureHandler>();
        builder.Services.AddOperationHandler<ThrowingHandler>();
        builder.Services.AddOperationHandler<WaitForTokenHandler>();
        builder.Services.AddOperationHandler<ExplainsDeadlineHandler>();
        builder.Services.AddOperationHandler<FinishOnShutdownHandler>();
        builder.Services.AddOperationHandler<ThrowingCallbackHandler>();
        builder.Services.AddOperationHandler<StopReasonHandler>();
        builder.Services.AddOperationHandler<LoggingHandler>();
        builder.Services.AddOperationHandler<ChattyHandler>();
        builder.Services.AddOperationHandler<StubbornChattyHandler>();
        var host = builder.Build();
        var engineHost = new EngineHost(host, owned);
        try
        {
            await host.StartAsync(Ct);
        }
        catch
        {
            await engineHost.DisposeAsync();
            throw;
        }
        return engineHost;
    }

    /// <summary>Creates an operation the way the API does.</summary>
    public async Task<Operation> StartOperationAsync(string kind, string input = "{}", int maxAttempts = 3, double? timeoutSeconds = null)
    {
        var op = new OperationToStart(
            OperationIds.New(TimeProvider.System), Tenant, kind, JsonDocument.Parse(input).RootElement.Clone(), null, null, 0, maxAttempts, timeoutSeconds);
        var created = await Store.StartAsync(new StartParams(op, null), Ct);
        Assert.Equal(StartOutcome.Started, created.Outcome);
        return created.Operation!;
    }

    /// <summary>Re-reads the operation at every change notification until <paramref name="until"/> holds.</summary>
    public async Task<Operation> WaitForAsync(string id, Func<Operation, bool> until, string what)
    {
        using var changed = new SemaphoreSlim(0);
        using var subscription = Notifier.Subscribe((kind, opId) =>
        {
            if (kind == StoreNotificationKind.OperationChanged && opId == id) changed.Release();
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(OutcomeTimeout);
        Operation? op = null;
        try
        {
            while (true)
            {
                op = await Store.GetAsync(new GetParams(null, id), Ct);
                if (op is not null && until(op)) return op;
                await changed.WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"Operation {id} did not become {what} within {OutcomeTimeout}; last seen: {op?.Status} attempt {op?.Attempt} error {op?.Error?.Code}.");
            throw;
        }
    }

    public Task<Operation> WaitUntilDoneAsync(string id) => WaitForAsync(id, o => o.Done, "done");

    public async Task StopAsync()
    {
        _stopped = true;
        await _host.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_stopped) await StopAsync();
            if (_host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else _host.Dispose();
        }
        finally
        {
            _ownedDatabase?.Delete();
        }
    }
}
