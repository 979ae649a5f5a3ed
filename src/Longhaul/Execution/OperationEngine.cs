using System.Collections.Concurrent;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Longhaul.Execution;

/// <summary>
/// The worker side of one process: claims ready operations into free slots, runs their handlers, renews their
/// leases, delivers cancellations and deadlines, and on shutdown lets handlers finish within the grace period
/// before handing the rest back.
/// </summary>
internal sealed partial class OperationEngine : BackgroundService
{
    private readonly IOperationStore _store;
    private readonly OperationHandlerRegistry _registry;
    private readonly IRetryPolicy _retry;
    private readonly KindSettingsCatalog _kinds;
    private readonly TimeProvider _time;
    private readonly LonghaulEngineOptions _options;
    private readonly ILogger<OperationEngine> _logger;
    private readonly ILoggerFactory _loggers;
    private readonly LonghaulMetrics _metrics;
    private readonly ConcurrentDictionary<string, RunningOperation> _running = new(StringComparer.Ordinal);

    // Cancel requests that arrived for operations not (yet) running here: a cancel committed between our claim's
    // commit and Start() would otherwise wait for the next heartbeat. Guarded by _cancelGate.
    private readonly Dictionary<string, DateTimeOffset> _earlyCancels = new(StringComparer.Ordinal);
    private readonly Lock _cancelGate = new();
    private static readonly TimeSpan ClaimBatchWindow = TimeSpan.FromMilliseconds(50);
    private readonly AsyncSignal _wake = new();
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly IDisposable _subscription;
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private readonly int? _defaultMaxRunning;
    private readonly Tenancy.ITenantLimits? _limits;
    private readonly Tenancy.TenantLimitMetrics? _limitMetrics;
    private readonly IReadOnlyDictionary<string, int>? _kindCaps;

    public OperationEngine(
        IOperationStore store, IStoreNotifier notifier, OperationHandlerRegistry registry, IRetryPolicy retry, KindSettingsCatalog kinds,
        TimeProvider time, IOptions<LonghaulEngineOptions> options, ILogger<OperationEngine> logger, ILoggerFactory loggers,
        LonghaulMetrics metrics, IHostApplicationLifetime? lifetime = null, IOptions<Tenancy.TenantLimitsOptions>? tenantLimits = null,
        Tenancy.ITenantLimits? limits = null, Tenancy.TenantLimitMetrics? limitMetrics = null)
    {
        _limits = limits;
        _limitMetrics = limitMetrics;
        _lifetime = lifetime;
        _defaultMaxRunning = tenantLimits?.Value.MaxRunning;
        _kindCaps = options.Value.KindConcurrencyCaps();
        _store = store;
        _registry = registry;
        _retry = retry;
        _kinds = kinds;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _loggers = loggers;
        _metrics = metrics;
        _subscription = notifier.Subscribe(OnNotification);
    }

    public override void Dispose()
    {
        _subscription.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken hostStopping)
    {
        if (!_options.RunWorkers || _registry.LocalKinds.Count == 0) return;
        // The grace period starts when shutdown starts (SIGTERM), not when the web server has finished draining.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, _lifetime?.ApplicationStopping ?? CancellationToken.None);
        var stoppingToken = stopping.Token;
        await Task.Yield();
        // Heartbeats outlive stoppingToken: handlers finishing in the grace period still need their leases.
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeats = HeartbeatLoopAsync(heartbeatStop.Token);
        try
        {
            await ClaimLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        await DrainAsync().ConfigureAwait(false);
        await heartbeatStop.CancelAsync().ConfigureAwait(false);
        await heartbeats.ConfigureAwait(false);
    }

    private void Start(Operation operation)
    {
        var run = new RunningOperation(operation, _store, _time) { ApiPath = _options.ApiPath, Limits = _limits, LimitMetrics = _limitMetrics };
        lock (_cancelGate)
        {
            _running[operation.Id] = run;
            if (_earlyCancels.Remove(operation.Id)) run.Stop(OperationStopReason.Cancelled);
        }
        _metrics.AttemptStarted(operation, _time.GetUtcNow());
        run.Execution = Task.Run(() => RunAsync(run));
    }

    private async Task RunAsync(RunningOperation run)
    {
        var op = run.Operation;
        var activity = LonghaulTracing.StartAttempt(op);
        // The engine's own lines about this attempt (and anything else logged on its flow) carry its scope too.
        using var logScope = _logger.BeginScope(new OperationLogScope(op));
        try
        {
            if (!_registry.TryGet(op.Kind, out var handler))
            {
                await FinishAsync(run, OperationStatus.Failed, null, new OperationError { Code = "unknown_kind", Message = $"No handler for kind '{op.Kind}'." }).ConfigureAwait(false);
                return;
            }
            if (op.DeadlineAt is { } deadline)
            {
                var left = deadline - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    await FinishAsync(run, OperationStatus.Failed, null, DeadlineError(op)).ConfigureAwait(false);
                    return;
                }
                run.StopAtDeadline(deadline);
                WarnBeforeDeadline(run, deadline);
            }
            if (op.CancelRequested) run.Stop(OperationStopReason.Cancelled);
            LogStarted(op.Id, op.Kind, op.Attempt);

            JsonElement? element;
            try
            {
                var handlerLogger = new OperationLogger(_loggers.CreateLogger(handler.GetType()), new OperationLogScope(op));
                var result = await handler.ExecuteAsync(new OperationContext(run, handlerLogger), run.Token).ConfigureAwait(false);
                // A result that cannot be serialized is the handler's failure, not a failure to record the end (which
                // would leave the operation to the reaper and run it again).
                element = result is null ? null : JsonSerializer.SerializeToElement(result, result.GetType(), LonghaulJsonDefaults.Options);
            }
            catch (Exception ex)
            {
                await FailedAsync(run, ex).ConfigureAwait(false);
                return;
            }
            await FinishAsync(run, OperationStatus.Succeeded, element, null).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A store failure while finishing: the lease will expire and the reaper returns the operation.
            LogFinishFailed(ex, op.Id);
        }
        finally
        {
            LonghaulTracing.EndAttempt(activity, run.Outcome ?? "lease_lost", run.ErrorCode);
            _running.TryRemove(op.Id, out _);
            run.Dispose();
            _wake.Set();
        }
    }

    private async Task FailedAsync(RunningOperation run, Exception ex)
    {
        var op = run.Operation;
        if (EndedByEventLimit(run)) return;
        switch (run.Reason)
        {
            case OperationStopReason.LeaseLost:
                LogLeaseLost(op.Id, op.LeaseEpoch);
                return;
            case OperationStopReason.ShuttingDown:
                await _store.HandBackAsync(new HandBackParams(run.Lease), CancellationToken.None).ConfigureAwait(false);
                LogHandedBack(op.Id);
                _metrics.HandedBack(op.Kind);
                AttemptEnded(run, "handed_back");
                return;
            case OperationStopReason.Cancelled:
                await FinishAsync(run, OperationStatus.Cancelled, null, OperationErrors.Cancelled).ConfigureAwait(false);
                return;
            case OperationStopReason.DeadlineExceeded:
                // A handler that knows what the deadline cut short (e.g. an upstream call) may say so in its own error.
                var deadlineError = ex is PermanentFailureException { Code: OperationErrors.DeadlineExceededCode } explained
                    ? new OperationError { Code = OperationErrors.DeadlineExceededCode, Message = explained.Message, Details = explained.Details }
                    : DeadlineError(op);
                await FinishAsync(run, OperationStatus.Failed, null, deadlineError).ConfigureAwait(false);
                return;
        }
        switch (ex)
        {
            case LeaseLostException:
                LogLeaseLost(op.Id, op.LeaseEpoch);
                return;
            case PermanentFailureException permanent:
                await FinishAsync(run, OperationStatus.Failed, null, new OperationError { Code = permanent.Code, Message = permanent.Message, Details = permanent.Details }).ConfigureAwait(false);
                return;
        }
        // An exception's message and type are for the log only: they can name hosts, paths, or worse, and they are not a
        // contract. The operation gets a stable code and a message that says where to look.
        LogHandlerFailed(ex, op.Id, op.Kind, op.Attempt, op.MaxAttempts);
        if (op.Attempt < op.MaxAttempts)
        {
            var error = new OperationError { Code = OperationErrors.InternalErrorCode, Message = $"Attempt {op.Attempt} of {op.MaxAttempts} failed with an unexpected error; it will be retried. Details are in the server log." };
            var delay = _kinds.For(op.Kind).RetryDelay(op.Attempt, _retry, _options);
            var ok = await _store.RetryAsync(new RetryParams(run.Lease, error, delay), CancellationToken.None).ConfigureAwait(false);
            if (ok)
            {
                LogRetry(op.Id, op.Attempt, delay.TotalMilliseconds);
                _metrics.Retried(op.Kind);
                AttemptEnded(run, "retry");
            }
            else LogLeaseLost(op.Id, op.LeaseEpoch);
            return;
        }
        await FinishAsync(run, OperationStatus.Failed, null, new OperationError
        {
            Code = OperationErrors.AttemptsExhaustedCode,
            Message = $"Attempt {op.Attempt} of {op.MaxAttempts} failed with an unexpected error. Details are in the server log.",
        }).ConfigureAwait(false);
    }

    private async Task FinishAsync(RunningOperation run, OperationStatus status, JsonElement? result, OperationError? error)
    {
        var ok = await _store.CompleteAsync(new CompleteParams(run.Lease, status, result, error), CancellationToken.None).ConfigureAwait(false);
        if (!ok)
        {
            if (!EndedByEventLimit(run)) LogLeaseLost(run.Operation.Id, run.Operation.LeaseEpoch);
            return;
        }
        LogFinished(run.Operation.Id, status.ToWire());
        run.ErrorCode = error?.Code;
        _metrics.Finished(run.Operation, status, error?.Code, _time.GetUtcNow());
        if (error?.Code == OperationErrors.DeadlineExceededCode) _metrics.DeadlineExceeded(run.Operation.Kind);
        AttemptEnded(run, status.ToWire());
    }

    private void AttemptEnded(RunningOperation run, string outcome)
    {
        run.Outcome = outcome;
        _metrics.AttemptEnded(run.Operation.Kind, outcome, run.RunTime);
    }

    /// <summary>Logs and counts, once, an attempt still running when the warning fraction of its timeout has passed.</summary>
    private void WarnBeforeDeadline(RunningOperation run, DateTimeOffset deadline)
    {
        if (_options.DeadlineWarningFraction >= 1) return;
        var op = run.Operation;
        var warnAt = op.CreatedAt + ((deadline - op.CreatedAt) * _options.DeadlineWarningFraction);
        run.WarnAt(warnAt, () =>
        {
            _metrics.DeadlineApproaching(op.Kind);
            LogDeadlineApproaching(op.Id, op.Kind, (deadline - _time.GetUtcNow()).TotalSeconds);
            _ = run.WarnDeadlineApproachingAsync(deadline, _options.DeadlineWarningFraction).ContinueWith(
                t => LogWarningFailed(t.Exception!, op.Id), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        });
    }

    private static OperationError DeadlineError(Operation op) => new()
    {
        Code = OperationErrors.DeadlineExceededCode,
        Message = $"The operation did not finish within its timeout of {op.TimeoutSeconds} seconds.",
    };

    private async Task HeartbeatLoopAsync(CancellationToken stopToken)
    {
        while (!stopToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.HeartbeatInterval, _time, stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await HeartbeatOnceAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Renews every lease this node holds in one store call; stops handlers that lost theirs.</summary>
    private async Task HeartbeatOnceAsync()
    {
        var runs = _running.Values.ToArray();
        if (runs.Length == 0) return;
        try
        {
            var result = await _store.HeartbeatAsync(new HeartbeatParams(_owner, [.. runs.Select(r => r.Lease)], _options.LeaseDuration), CancellationToken.None).ConfigureAwait(false);
            foreach (var id in result.Lost)
            {
                if (_running.TryGetValue(id, out var run)) run.Stop(OperationStopReason.LeaseLost);
            }
            foreach (var id in result.CancelRequested)
            {
                if (_running.TryGetValue(id, out var run)) run.Stop(OperationStopReason.Cancelled);
            }
        }
        catch (Exception ex)
        {
            LogHeartbeatFailed(ex);
        }
    }

    private async Task DrainAsync()
    {
        var pending = _running.Values.Select(r => r.Execution).OfType<Task>().ToArray();
        if (pending.Length == 0) return;
        LogDraining(pending.Length, _options.ShutdownGracePeriod.TotalSeconds);
        try
        {
            await Task.WhenAll(pending).WaitAsync(_options.ShutdownGracePeriod, _time).ConfigureAwait(false);
            return;
        }
        catch (TimeoutException)
        {
            // Grace period over: hand the rest back.
        }
        foreach (var run in _running.Values) run.Stop(OperationStopReason.ShuttingDown);
        var stopping = _running.Values.Select(r => r.Execution).OfType<Task>().ToArray();
        try
        {
            await Task.WhenAll(stopping).WaitAsync(TimeSpan.FromSeconds(5), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Handlers that ignore their token: hand them back anyway; their later writes are fenced off.
            foreach (var run in _running.Values)
            {
                await _store.HandBackAsync(new HandBackParams(run.Lease), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(StoreNotificationKind kind, string? operationId)
    {
        switch (kind)
        {
            case StoreNotificationKind.WorkAvailable:
                _wake.Set();
                break;
            case StoreNotificationKind.CancelRequested when operationId is not null:
                lock (_cancelGate)
                {
                    if (_running.TryGetValue(operationId, out var run))
                    {
                        run.Stop(OperationStopReason.Cancelled);
                    }
                    else
                    {
                        var now = _time.GetUtcNow();
                        if (_earlyCancels.Count > 1000)
                        {
                            foreach (var stale in _earlyCancels.Where(e => now - e.Value > TimeSpan.FromMinutes(1)).Select(e => e.Key).ToList())
                                _earlyCancels.Remove(stale);
                        }
                        _earlyCancels[operationId] = now;
                    }
                }
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Operation {OperationId} ({Kind}) started, attempt {Attempt}")]
    private partial void LogStarted(string operationId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Operation {OperationId} finished: {Status}")]
    private partial void LogFinished(string operationId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} attempt {Attempt} failed; retrying in {DelayMs:F0} ms")]
    private partial void LogRetry(string operationId, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} ({Kind}) attempt {Attempt} of {MaxAttempts} failed with an unexpected error")]
    private partial void LogHandlerFailed(Exception ex, string operationId, string kind, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: lease epoch {Epoch} lost; another worker owns it, this attempt's writes are discarded")]
    private partial void LogLeaseLost(string operationId, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} ({Kind}) is approaching its deadline: {SecondsLeft:F1} s left")]
    private partial void LogDeadlineApproaching(string operationId, string kind, double secondsLeft);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: writing the deadline warning event failed")]
    private partial void LogWarningFailed(Exception ex, string operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} handed back on shutdown")]
    private partial void LogHandedBack(string operationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: waiting up to {GraceSeconds} s for {Count} running operation(s)")]
    private partial void LogDraining(int count, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming work failed")]
    private partial void LogClaimFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing leases failed")]
    private partial void LogHeartbeatFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the end of operation {OperationId} failed; the reaper will return it")]
    private partial void LogFinishFailed(Exception ex, string operationId);
}
