using System.Diagnostics.Metrics;
using Longhaul.Telemetry;
using System.Globalization;
using Longhaul.Storage;

namespace Longhaul.Webhooks;

/// <summary>Delivery attempt metrics on the meter <c>Longhaul.Webhooks</c>, recorded where the attempts are made.</summary>
internal sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "Longhaul.Webhooks";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _deferred;

    public WebhookMetrics()
    {
        _duration = _meter.CreateHistogram<double>("longhaul.webhooks.attempt.duration", "s",
            "Duration of webhook delivery attempts, by outcome: the receiver's status code, timeout, egress_refused or error.",
            tags: null, advice: LonghaulMetrics.SecondsAdvice);
        _deferred = _meter.CreateCounter<long>("longhaul.webhooks.deferred", null,
            "Claimed deliveries given back without an attempt (their destination was at this node's limit, or the node was stopping).");
    }

    public void Attempted(DeliveryAttemptParams attempt)
    {
        var outcome = attempt.StatusCode is { } code ? code.ToString(CultureInfo.InvariantCulture)
            : attempt.Error is { } error && error.StartsWith("no answer", StringComparison.Ordinal) ? "timeout"
            : attempt.Error is { } refused && refused.StartsWith("egress refused", StringComparison.Ordinal) ? "egress_refused"
            : "error";
        _duration.Record(attempt.DurationMs / 1000.0, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Deferred() => _deferred.Add(1);

    public void Dispose() => _meter.Dispose();
}
