using System.Globalization;
using Longhaul.Client;

namespace Longhaul.Server.ClientCommands;

/// <summary>The rate of progress seen by this watch (units a second since the first progress event) and the server's ETA, as text.</summary>
internal sealed class ProgressRate
{
    private long? _firstCurrent;
    private long _firstAt;
    private DateTimeOffset? _eta;
    private string _rate = "";

    public string Describe(OperationProgressEvent? e)
    {
        var now = TimeProvider.System.GetTimestamp();
        if (e is not null)
        {
            _eta = e.EstimatedCompletion;
            if (e.Progress.Current is { } current)
            {
                if (_firstCurrent is null)
                {
                    _firstCurrent = current;
                    _firstAt = now;
                }
                else
                {
                    var seconds = TimeProvider.System.GetElapsedTime(_firstAt, now).TotalSeconds;
                    if (seconds > 0) _rate = $"{((current - _firstCurrent.Value) / seconds).ToString("0.##", CultureInfo.InvariantCulture)} {e.Progress.Unit ?? "units"}/s";
                }
            }
        }
        var eta = _eta is { } at ? at - TimeProvider.System.GetUtcNow() : (TimeSpan?)null;
        var parts = new List<string>();
        if (_rate.Length > 0) parts.Add(_rate);
        if (eta is { } left) parts.Add("ETA " + (left < TimeSpan.Zero ? "0s" : left.ToString(left.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture)));
        return string.Join(" · ", parts);
    }
}
