using System.Diagnostics.Metrics;
using Longhaul.Telemetry;

namespace Longhaul.Kinds.Http;

/// <summary>Upstream call metrics on the meter <c>Longhaul.Http</c>, tagged by upstream.</summary>
internal sealed class HttpKindMetrics : IDisposable
{
    public const string MeterName = "Longhaul.Http";

    private readonly Meter _meter = new(MeterName);

    public HttpKindMetrics()
    {
        Duration = _meter.CreateHistogram<double>("longhaul.http.upstream.duration", "s",
            "Duration of upstream calls (all attempts, until the answer is read), by upstream and outcome.",
            tags: null, advice: LonghaulMetrics.SecondsAdvice);
        Timeouts = _meter.CreateCounter<long>("longhaul.http.upstream.timeouts", null, "Upstream calls ended by their RequestTimeout.");
        Retries = _meter.CreateCounter<long>("longhaul.http.upstream.retries", null, "Retries of upstream requests, by upstream and reason.");
    }

    public Histogram<double> Duration { get; }

    public Counter<long> Timeouts { get; }

    public Counter<long> Retries { get; }

    public void Dispose() => _meter.Dispose();
}
