using System.Diagnostics.Metrics;
using Longhaul.Contracts;

namespace Longhaul.Telemetry;

/// <summary>
/// The engine's instruments on the meter <c>Longhaul</c> (names in OpenTelemetry's dotted style; the Prometheus
/// exposition turns them into <c>longhaul_…</c> with <c>_total</c> and <c>_seconds</c> suffixes). Recording costs a
/// few interlocked adds when nothing listens.
/// </summary>
internal sealed class LonghaulMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Longhaul";

    // Seconds from 5 ms to an hour: operations are long, the default OpenTelemetry buckets (0 to 10,000) are for ms.
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>Bucket boundaries for every duration histogram in seconds on Longhaul's meters.</summary>
    internal static readonly InstrumentAdvice<double> SecondsAdvice = new() { HistogramBucketBoundaries = Buckets };

    private readonly Meter _meter;
    private readonly Counter<long> _created;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _reaped;
    private readonly Counter<long> _handedBack;
    private readonly Counter<long> _deadlineExceeded;
    private readonly Counter<long> _cancellations;
    private readonly Counter<long> _approachingDeadline;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _attemptDuration;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _sse;
    private readonly UpDownCounter<long> _longPolls;

    /// <summary>Creates the meter through <paramref name="factory"/> when there is one (so it is scoped to the host).</summary>
    public LonghaulMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _created = _meter.CreateCounter<long>("longhaul.operations.created", "{operation}", "Operations started (accepted and stored), by kind.");
        _finished = _meter.CreateCounter<long>("longhaul.operations.finished", "{operation}", "Operations that reached a final status, by kind, status and error code.");
        _attempts = _meter.CreateCounter<long>("longhaul.operation.attempts", "{attempt}", "Attempts begun by this node's workers, by kind.");
        _retries = _meter.CreateCounter<long>("longhaul.operation.retries", "{attempt}", "Failed attempts scheduled for another try, by kind.");
        _reaped = _meter.CreateCounter<long>("longhaul.operation.orphans_reaped", "{operation}", "Operations whose lease expired (their worker died), by outcome: requeued or failed.");
        _handedBack = _meter.CreateCounter<long>("longhaul.operation.handed_back", "{operation}", "Running operations handed back unfinished because their node shut down, by kind.");
        _deadlineExceeded = _meter.CreateCounter<long>("longhaul.operation.deadline_exceeded", "{operation}", "Attempts stopped by their operation's deadline, by kind.");
        _cancellations = _meter.CreateCounter<long>("longhaul.operation.cancellations", "{operation}", "Operations cancelled at a caller's request, by kind.");
        _approachingDeadline = _meter.CreateCounter<long>("longhaul.operation.deadline_approaching", "{operation}", "Running attempts that passed the warning fraction of their deadline, by kind.");
        _queueWait = Histogram("longhaul.operation.queue_wait", "Time from ready (created or retry due) to claimed, by kind.");
        _attemptDuration = Histogram("longhaul.operation.attempt.duration", "Run time of one attempt, from claim to its end, by kind and outcome.");
        _duration = Histogram("longhaul.operation.duration", "End-to-end time from created to a final status, by kind and status.");
        _sse = _meter.CreateUpDownCounter<long>("longhaul.api.sse.connections", "{connection}", "Open Server-Sent Events streams of operation events.");
        _longPolls = _meter.CreateUpDownCounter<long>("longhaul.api.long_polls", "{request}", "Requests waiting for an operation to finish (/wait and Prefer: wait).");
    }

    private Histogram<double> Histogram(string name, string description)
        => _meter.CreateHistogram(name, "s", description, tags: null, advice: SecondsAdvice);

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);

    public void Created(string kind) => _created.Add(1, Kind(kind));

    /// <summary>A final status was stored: counts it and records the end-to-end duration.</summary>
    public void Finished(Operation operation, OperationStatus status, string? errorCode, DateTimeOffset now)
    {
        var wire = status.ToWire();
        _finished.Add(1, Kind(operation.Kind), new("status", wire), new("error.code", errorCode ?? ""));
        _duration.Record(Math.Max(0, (now - operation.CreatedAt).TotalSeconds), Kind(operation.Kind), new("status", wire));
        if (status == OperationStatus.Cancelled) _cancellations.Add(1, Kind(operation.Kind));
    }

    /// <summary>A worker claimed an attempt: counts it and records how long it waited to be claimed.</summary>
    public void AttemptStarted(Operation operation, DateTimeOffset now)
    {
        _attempts.Add(1, Kind(operation.Kind));
        _queueWait.Record(Math.Max(0, (now - operation.RunAfter).TotalSeconds), Kind(operation.Kind));
    }

    /// <summary>An attempt ended (<paramref name="outcome"/>: a final status, retry, handed_back or lease_lost).</summary>
    public void AttemptEnded(string kind, string outcome, TimeSpan runTime)
        => _attemptDuration.Record(Math.Max(0, runTime.TotalSeconds), Kind(kind), new("outcome", outcome));

    public void Retried(string kind) => _retries.Add(1, Kind(kind));

    public void HandedBack(string kind) => _handedBack.Add(1, Kind(kind));

    public void DeadlineExceeded(string kind) => _deadlineExceeded.Add(1, Kind(kind));

    public void DeadlineApproaching(string kind) => _approachingDeadline.Add(1, Kind(kind));

    public void Reaped(int requeued, int failed)
    {
        if (requeued > 0) _reaped.Add(requeued, new KeyValuePair<string, object?>("outcome", "requeued"));
        if (failed > 0) _reaped.Add(failed, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    /// <summary>Counts an open event stream until the returned value is disposed.</summary>
    public Open SseStream() => new(_sse);

    /// <summary>Counts a waiting long-poll until the returned value is disposed.</summary>
    public Open LongPoll() => new(_longPolls);

    /// <summary>One open connection or request on an up-down counter; disposing it closes it.</summary>
    internal readonly struct Open : IDisposable
    {
        private readonly UpDownCounter<long> _counter;

        public Open(UpDownCounter<long> counter)
        {
            _counter = counter;
            counter.Add(1);
        }

        public void Dispose() => _counter.Add(-1);
    }

    /// <summary>The meter, for the observable gauges registered elsewhere (<see cref="QueueGauges"/>).</summary>
    public Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();
}
