using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.Extensions.Logging;

namespace Longhaul.Store.Tests.Engine;

/// <summary>
/// The engine counts an operation ended by its event limit as that final state, once (ADR 0037), even when the handler
/// swallows the refused write, writes on (every later write refused) and returns a result.
/// </summary>
public sealed class EventLimitCountingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Engine_HandlerIgnoresTheRefusalsAndReturns_FinishedFailedAndRefusalCountedOnce_LoggedAsLimitNotLeaseLost()
    {
        var logs = new RecordingLoggerProvider();
        var measured = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        var refusals = new ConcurrentQueue<(object? Scope, string? Limit)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is "Longhaul" or "Longhaul.Limits") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            Record(instrument.Name, value, tags);
            if (instrument.Name == "longhaul.limits.refusals") refusals.Enqueue((instrument.Meter.Scope, tags.ToArray().FirstOrDefault(t => t.Key == "limit").Value as string));
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument.Name, 1, tags));
        listener.Start();
        void Record(string name, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags) copy[tag.Key] = tag.Value;
            measured.Enqueue((name, value, copy));
        }

        await using var host = await EngineHost.StartAsync(logs: logs);
        var op = new OperationToStart(OperationIds.New(TimeProvider.System), EngineHost.Tenant, StubbornChattyHandler.KindName,
            JsonDocument.Parse("{}").RootElement.Clone(), null, null, 0, 3, null);
        Assert.Equal(StartOutcome.Started, (await host.Store.StartAsync(new StartParams(op, null) { MaxEvents = 5 }, Ct)).Outcome);

        Assert.Equal(OperationStopReason.EventLimitExceeded, await host.Probe.WhenStoppedAsync(op.Id, EngineHost.OutcomeTimeout));
        var done = await host.WaitUntilDoneAsync(op.Id);
        Assert.Equal(OperationStatus.Failed, done.Status);
        Assert.Equal(OperationErrors.EventLimitExceededCode, done.Error?.Code);
        // The engine counts once the handler has returned and its completion was refused: wait for the attempt's end.
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(EngineHost.OutcomeTimeout);
            while (!Ours(measured, "longhaul.operation.attempt.duration", op.Kind).Any()) await Task.Delay(10, timeout.Token);
        }

        var finished = Assert.Single(Ours(measured, "longhaul.operations.finished", op.Kind));
        Assert.Equal("failed", finished.Tags["status"]);
        Assert.Equal(OperationErrors.EventLimitExceededCode, finished.Tags["error.code"]);
        Assert.Equal("failed", Assert.Single(Ours(measured, "longhaul.operation.attempt.duration", op.Kind)).Tags["outcome"]);
        // The refusal has no kind label: this host's meter tells it from other tests'.
        Assert.Equal("max_events_per_operation", Assert.Single(refusals, r => ReferenceEquals(r.Scope, host.MeterScope)).Limit);
        var entries = logs.Entries.Where(e => e.Scope.TryGetValue("OperationId", out var id) && Equals(id, op.Id)).ToList();
        Assert.Single(entries, e => e.Level == LogLevel.Warning && e.Message.Contains("MaxEventsPerOperation", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Message.Contains("lease epoch", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Instrument, long Value, Dictionary<string, object?> Tags)> Ours(
        IEnumerable<(string Instrument, long Value, Dictionary<string, object?> Tags)> measured, string instrument, string kind)
        => measured.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("kind"), kind));
}
