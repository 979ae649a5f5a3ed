using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Extensions.Logging;

namespace Longhaul.Store.Tests.Engine;

/// <summary>What a handler learns from its <see cref="OperationContext"/>: why it was stopped, and a logger scoped to the attempt.</summary>
public sealed class OperationContextTests
{
    private static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopReason_UserCancelsRunningOperation_HandlerReadsCancelled()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(StopReasonHandler.KindName);
        await host.Probe.WhenStartedAsync(op.Id, SignalTimeout);

        await host.Store.CancelAsync(new CancelParams(EngineHost.Tenant, op.Id), Ct);

        Assert.Equal(OperationStopReason.Cancelled, await host.Probe.WhenStoppedAsync(op.Id, SignalTimeout));
        Assert.Equal(OperationStatus.Cancelled, (await host.WaitUntilDoneAsync(op.Id)).Status);
    }

    [Fact]
    public async Task StopReason_DeadlinePasses_HandlerReadsDeadlineExceeded()
    {
        await using var host = await EngineHost.StartAsync();
        // Long enough for the claim (milliseconds) to come well before the deadline, so the handler runs and is stopped.
        var op = await host.StartOperationAsync(StopReasonHandler.KindName, timeoutSeconds: 2);
        await host.Probe.WhenStartedAsync(op.Id, SignalTimeout);

        Assert.Equal(OperationStopReason.DeadlineExceeded, await host.Probe.WhenStoppedAsync(op.Id, SignalTimeout));
        var done = await host.WaitUntilDoneAsync(op.Id);
        Assert.Equal("deadline_exceeded", done.Error?.Code);
    }

    [Fact]
    public async Task StopReason_ShutdownOutlastsTheGracePeriod_HandlerReadsShuttingDown()
    {
        var host = await EngineHost.StartAsync(o => o.ShutdownGracePeriod = TimeSpan.Zero);
        await using var _ = host;
        var op = await host.StartOperationAsync(StopReasonHandler.KindName);
        await host.Probe.WhenStartedAsync(op.Id, SignalTimeout);

        await host.StopAsync();

        Assert.Equal(OperationStopReason.ShuttingDown, await host.Probe.WhenStoppedAsync(op.Id, SignalTimeout));
        var after = await host.Store.GetAsync(new GetParams(null, op.Id), Ct);
        Assert.Equal(OperationStatus.Pending, after?.Status);
    }

    [Fact]
    public async Task StopReason_HandlerNotStopped_IsNone()
    {
        await using var host = await EngineHost.StartAsync();
        var op = await host.StartOperationAsync(LoggingHandler.KindName);

        var done = await host.WaitUntilDoneAsync(op.Id);

        Assert.Equal(nameof(OperationStopReason.None), done.Result?.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Logger_HandlerLogs_EntryCarriesOperationIdKindAttemptAndTenantInItsScope()
    {
        var logs = new RecordingLoggerProvider();
        await using var host = await EngineHost.StartAsync(logs: logs);
        var op = await host.StartOperationAsync(LoggingHandler.KindName);

        await host.WaitUntilDoneAsync(op.Id);

        var entry = Assert.Single(logs.Entries, e => e.Category == typeof(LoggingHandler).FullName);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("Working on download", entry.Message);
        Assert.Equal(op.Id, entry.Scope["OperationId"]);
        Assert.Equal(LoggingHandler.KindName, entry.Scope["Kind"]);
        Assert.Equal(1, entry.Scope["Attempt"]);
        Assert.Equal(EngineHost.Tenant, entry.Scope["Tenant"]);
    }
}
