using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Longhaul.AspNetCore;

/// <summary>
/// Collects the measurements of Longhaul's meters (<c>Longhaul.*</c>) with a <see cref="MeterListener"/> and renders
/// them in the Prometheus text exposition format: counters as <c>_total</c>, histograms as cumulative buckets.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();

    /// <summary>Starts listening to every meter whose name starts with <c>Longhaul.</c>.</summary>
    public PrometheusMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Longhaul", StringComparison.Ordinal)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var series = _series.GetOrAdd(instrument, _ => new ConcurrentDictionary<string, Series>(StringComparer.Ordinal))
            .GetOrAdd(labels, _ => new Series(instrument is Histogram<double> or Histogram<long> or Histogram<int>));
        series.Add(value);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{Name(key)}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(",", pairs);
    }

    private static string Name(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name) builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return builder.ToString();
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The current values, in the Prometheus text format (version 0.0.4).</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var (instrument, all) in _series.OrderBy(i => i.Key.Name, StringComparer.Ordinal))
        {
            var name = Name(instrument.Name);
            if (instrument.Unit == "s") name += "_seconds";
            var histogram = instrument is Histogram<double> or Histogram<long> or Histogram<int>;
            if (!histogram && instrument is Counter<long> or Counter<int> or Counter<double>) name += "_total";
            if (instrument.Description is { Length: > 0 } description) text.Append("# HELP ").Append(name).Append(' ').Append(description.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(histogram ? " histogram" : instrument is Counter<long> or Counter<int> or Counter<double> ? " counter" : " gauge").Append('\n');
            foreach (var (labels, series) in all.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var (sum, count, buckets) = series.Snapshot();
                if (!histogram)
                {
                    text.Append(name).Append(labels.Length > 0 ? $"{{{labels}}}" : "").Append(' ').Append(F(sum)).Append('\n');
                    continue;
                }
                var prefix = labels.Length > 0 ? labels + "," : "";
                long cumulative = 0;
                for (var i = 0; i < Bounds.Length; i++)
                {
                    cumulative += buckets[i];
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(F(Bounds[i])).Append("\"} ").Append(cumulative).Append('\n');
                }
                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(count).Append('\n');
                text.Append(name).Append("_sum").Append(labels.Length > 0 ? $"{{{labels}}}" : "").Append(' ').Append(F(sum)).Append('\n');
                text.Append(name).Append("_count").Append(labels.Length > 0 ? $"{{{labels}}}" : "").Append(' ').Append(count).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Stops listening to the meters.</summary>
    public void Dispose() => _listener.Dispose();

    private sealed class Series(bool histogram)
    {
        private readonly Lock _lock = new();
        private readonly long[] _buckets = histogram ? new long[Bounds.Length] : [];
        private double _sum;
        private long _count;

        public void Add(double value)
        {
            lock (_lock)
            {
                _sum += value;
                _count++;
                if (!histogram) return;
                var index = Array.FindIndex(Bounds, b => value <= b);
                if (index >= 0) _buckets[index]++;
            }
        }

        public (double Sum, long Count, long[] Buckets) Snapshot()
        {
            lock (_lock) return (_sum, _count, [.. _buckets]);
        }
    }
}
