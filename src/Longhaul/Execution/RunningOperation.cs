using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Contracts;
using Longhaul.Storage;
using Longhaul.Telemetry;

namespace Longhaul.Execution;

/// <summary>One attempt in flight on this node: its lease, its cancellation and its progress baseline.</summary>
internal sealed class RunningOperation : IDisposable
{
    private readonly IOperationStore _store;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cts = new();
    private readonly DateTimeOffset _attemptStartedAt;
    private readonly double _startFraction;
    private int _reason;
    private bool _endedByEventLimit;
    private readonly Lock _timerGate = new();
    private ITimer? _deadline;
    private ITimer? _warning;
    private DateTimeOffset _deadlineAt;
    private bool _disposed;

    public RunningOperation(Operation operation, IOperationStore store, TimeProvider time)
    {
        Operation = operation;
        Checkpoint = operation.Checkpoint;
        _store = store;
        _time = time;
        _attemptStartedAt = time.GetUtcNow();
        _startFraction = Fraction(operation.Progress) ?? 0;
    }

    public Operation Operation { get; }

    /// <summary>The path the HTTP API is mounted at (<see cref="LonghaulEngineOptions.ApiPath"/>), for the links a handler stores.</summary>
    public string ApiPath { get; init; } = LonghaulEngineOptions.DefaultApiPath;

    /// <summary>The tenants' limits: file chunks are checked against <c>MaxStoredBytes</c>. Null: not checked.</summary>
    public Tenancy.ITenantLimits? Limits { get; init; }

    /// <summary>Counts a file chunk refused by <c>MaxStoredBytes</c>. Null: not counted.</summary>
    public Tenancy.TenantLimitMetrics? LimitMetrics { get; init; }

    public LeaseRef Lease => new(Operation.Id, Operation.LeaseEpoch);

    public JsonElement? Checkpoint { get; private set; }

    public CancellationToken Token => _cts.Token;

    public OperationStopReason Reason => (OperationStopReason)Volatile.Read(ref _reason);

    public Task? Execution { get; set; }

    /// <summary>How the attempt ended (a final status, <c>retry</c>, <c>handed_back</c>); null until then.</summary>
    public string? Outcome { get; set; }

    /// <summary>
    /// True once a write of this attempt ended the operation by its event limit (the store said so for that write alone,
    /// ADR 0037): the engine counts it finished <c>failed</c> with <c>event_limit_exceeded</c>, not as a lost lease.
    /// </summary>
    public bool EndedByEventLimit => Volatile.Read(ref _endedByEventLimit);

    /// <summary>The error code of the final state this attempt stored, if any.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Time since this attempt was claimed here.</summary>
    public TimeSpan RunTime => _time.GetUtcNow() - _attemptStartedAt;

    /// <summary>Calls <paramref name="warn"/> once at <paramref name="at"/> if the attempt is still running then (not at all when that has passed).</summary>
    public void WarnAt(DateTimeOffset at, Action warn)
    {
        var left = at - _time.GetUtcNow();
        if (left <= TimeSpan.Zero) return;
        lock (_timerGate)
        {
            if (_disposed) return;
            _warning = _time.CreateTimer(_ =>
            {
                lock (_timerGate)
                {
                    if (_disposed || Reason != OperationStopReason.None) return;
                }
                warn();
            }, null, left, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Cancels the handler for <paramref name="reason"/>; the first reason wins.</summary>
    public void Stop(OperationStopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)OperationStopReason.None) == (int)OperationStopReason.None)
        {
            try
            {
                // Callbacks run on the thread pool: Stop is called from store notifications on the writer's thread,
                // which must never run handler code.
                _ = _cts.CancelAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            catch (ObjectDisposedException)
            {
                // The attempt already ended.
            }
        }
    }

    /// <summary>Stops the handler with <see cref="OperationStopReason.DeadlineExceeded"/> once the clock has reached <paramref name="deadline"/>.</summary>
    public void StopAtDeadline(DateTimeOffset deadline)
    {
        lock (_timerGate)
        {
            _deadlineAt = deadline;
            var left = deadline - _time.GetUtcNow();
            _deadline = _time.CreateTimer(static s => ((RunningOperation)s!).OnDeadlineTimer(), this, left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnDeadlineTimer()
    {
        lock (_timerGate)
        {
            if (_disposed) return;
            // Timers run on a coarse tick count and can fire a few milliseconds before the clock reaches the deadline. A
            // handler that checks the clock when it is stopped must see the deadline passed, so an early timer waits again.
            var left = _deadlineAt - _time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                _deadline!.Change(left, Timeout.InfiniteTimeSpan);
                return;
            }
        }
        Stop(OperationStopReason.DeadlineExceeded);
    }

    public async Task RecordAsync(ProgressInfo? progress, JsonElement? checkpoint, CancellationToken cancellationToken)
    {
        if (progress is not null) progress = Normalize(progress);
        var written = await _store.RecordAsync(new RecordParams(Lease, progress, Estimate(progress), checkpoint), cancellationToken).ConfigureAwait(false);
        if (!written) Fenced(written);
        LonghaulTracing.Event(checkpoint is null ? "progress" : "checkpoint");
        if (checkpoint is not null) Checkpoint = checkpoint;
    }

    public async Task WriteOutputAsync(JsonElement chunk, CancellationToken cancellationToken)
    {
        var written = await _store.AppendOutputAsync(new OutputParams(Lease, chunk), cancellationToken).ConfigureAwait(false);
        if (!written) Fenced(written);
        LonghaulTracing.Event("output");
    }

    /// <summary>
    /// Appends the SSE <c>warning</c> event <c>deadline_approaching</c>; a stale lease writes nothing (the heartbeat stops the
    /// handler). A warning that the event log has no room for ends the operation as any other event would.
    /// </summary>
    public async Task WarnDeadlineApproachingAsync(DateTimeOffset deadline, double fraction)
    {
        var written = await _store.AppendWarningAsync(new WarningParams(Lease, DeadlineApproachingData(Operation, deadline, fraction)), CancellationToken.None).ConfigureAwait(false);
        if (written.Outcome == EventWriteOutcome.EndedByEventLimit) EventLimitReached();
    }

    /// <summary>The data of the SSE <c>warning</c> event <c>deadline_approaching</c>, for in-process and remote attempts alike.</summary>
    public static JsonElement DeadlineApproachingData(Operation operation, DateTimeOffset deadline, double fraction)
    {
        var data = new JsonObject
        {
            ["code"] = "deadline_approaching",
            ["message"] = string.Create(CultureInfo.InvariantCulture, $"The operation has used {fraction * 100:0.#} % of its timeout of {operation.TimeoutSeconds} seconds."),
            ["deadline_at"] = deadline.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };
        return JsonSerializer.SerializeToElement(data, LonghaulJsonDefaults.Options);
    }

    public async Task WriteFileChunkAsync(string name, int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await CheckStoredBytesAsync((long)index * OperationFileWriter.ChunkBytes + data.Length, cancellationToken).ConfigureAwait(false);
        if (!await _store.WriteFileChunkAsync(new FileChunkParams(Lease, name, index, data), cancellationToken).ConfigureAwait(false)) Fenced();
    }

    /// <summary>
    /// Every file an operation writes in process (any kind, export included) counts against its tenant's
    /// <c>MaxStoredBytes</c> as a remote worker's chunk or an upload does: the finished files and uploads plus this file up to
    /// the chunk. Past it the operation fails without retry (<c>storage_limit_exceeded</c>); the chunk is not stored.
    /// </summary>
    private async Task CheckStoredBytesAsync(long fileBytes, CancellationToken cancellationToken)
    {
        if (Limits is null) return;
        var limits = await Limits.GetAsync(Operation.Tenant, cancellationToken).ConfigureAwait(false);
        if (limits.MaxStoredBytes is not { } max) return;
        var usage = await _store.GetStorageUsageAsync(new StorageUsageParams(Operation.Tenant), cancellationToken).ConfigureAwait(false);
        if (usage.StoredBytes + fileBytes <= max) return;
        LimitMetrics?.Refused(Tenancy.TenantLimitMetrics.MaxStoredBytes);
        throw new PermanentFailureException(ProblemCodes.StorageLimitExceeded, string.Create(CultureInfo.InvariantCulture,
            $"The tenant stores {usage.StoredBytes} bytes; this file's {fileBytes} bytes would pass its limit of {max} bytes (MaxStoredBytes)."));
    }

    public async Task FinishFileAsync(string name, string contentType, long length, int chunks, CancellationToken cancellationToken)
    {
        if (!await _store.FinishFileAsync(new FinishFileParams(Lease, name, contentType, length, chunks), cancellationToken).ConfigureAwait(false)) Fenced();
    }

    public async Task<OperationFileWriter?> ResumeFileAsync(string name, string contentType, long keepBytes, CancellationToken cancellationToken)
    {
        var full = (int)(keepBytes / OperationFileWriter.ChunkBytes);
        var tail = (int)(keepBytes % OperationFileWriter.ChunkBytes);
        var keep = full + (tail > 0 ? 1 : 0);
        var kept = await _store.KeepFileChunksAsync(new KeepFileChunksParams(Lease, name, keep), cancellationToken).ConfigureAwait(false);
        if (kept is null) Fenced();
        if (kept != keep) return null;
        if (tail == 0) return new OperationFileWriter(this, name, contentType, full, default);
        // The last kept chunk is read back and rewritten with what follows it: the one copy a resume makes.
        var unfinished = new StoredFile(Operation.Id, name, contentType, keepBytes, keep, Operation.LeaseEpoch, _time.GetUtcNow());
        var last = await _store.ReadFileChunkAsync(new ReadFileChunkParams(unfinished, full), cancellationToken).ConfigureAwait(false);
        if (last is null || last.Length < tail) return null;
        return new OperationFileWriter(this, name, contentType, full, last.AsSpan(0, tail));
    }

    public void Dispose()
    {
        lock (_timerGate)
        {
            _disposed = true;
            _deadline?.Dispose();
            _warning?.Dispose();
        }
        _cts.Dispose();
    }

    private void Fenced()
    {
        Stop(OperationStopReason.LeaseLost);
        throw new LeaseLostException();
    }

    /// <summary>A refused event write: a lost lease, or (when this very write ended the operation) the event limit.</summary>
    private void Fenced(EventWriteResult written)
    {
        if (written.Outcome != EventWriteOutcome.EndedByEventLimit) Fenced();
        EventLimitReached();
        throw new LeaseLostException("The operation wrote more events than its tenant's MaxEventsPerOperation allows; the store failed it with event_limit_exceeded.");
    }

    private void EventLimitReached()
    {
        Volatile.Write(ref _endedByEventLimit, true);
        Stop(OperationStopReason.EventLimitExceeded);
    }

    private static ProgressInfo Normalize(ProgressInfo p)
        => p.Percent is null && p.Current is { } c && p.Total is { } t && t > 0
            ? p with { Percent = Math.Round(Math.Clamp(100.0 * c / t, 0, 100), 2) }
            : p;

    private static double? Fraction(ProgressInfo? p) => p?.Percent is { } pct ? Math.Clamp(pct / 100.0, 0, 1) : null;

    /// <summary>Completion time extrapolated from the rate of progress seen in this attempt.</summary>
    private DateTimeOffset? Estimate(ProgressInfo? progress)
    {
        if (Fraction(progress) is not { } f || f <= _startFraction) return null;
        var now = _time.GetUtcNow();
        var elapsed = now - _attemptStartedAt;
        if (elapsed <= TimeSpan.Zero) return null;
        var remaining = elapsed * ((1 - f) / (f - _startFraction));
        return remaining > TimeSpan.FromDays(365) ? null : now + remaining;
    }
}
