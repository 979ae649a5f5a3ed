using System.Globalization;
using System.Text.Json;

namespace Longhaul.AspNetCore;

/// <summary>
/// The scheduling options of a start request (issue 19): <c>options.start_after</c>, <c>options.start_by</c> (RFC 3339
/// timestamps with an offset), <c>options.concurrency_key</c> and <c>options.concurrency_limit</c>. This reads their
/// JSON types; the ranges are <c>OperationStartRules.CheckScheduling</c>'s.
/// </summary>
internal sealed class SchedulingOptions
{
    private const string TimestampMessage = "must be an RFC 3339 timestamp with an offset (e.g. 2026-01-31T09:00:00Z) or null";

    public DateTimeOffset? StartAfter { get; private set; }

    public DateTimeOffset? StartBy { get; private set; }

    public string? ConcurrencyKey { get; private set; }

    public int? ConcurrencyLimit { get; private set; }

    public void Read(string name, JsonElement v, Dictionary<string, string[]> errors)
    {
        if (v.ValueKind == JsonValueKind.Null) return;
        var field = "options." + name;
        switch (name)
        {
            case "start_after":
                if (Timestamp(v) is { } after) StartAfter = after;
                else errors[field] = [TimestampMessage];
                break;
            case "start_by":
                if (Timestamp(v) is { } by) StartBy = by;
                else errors[field] = [TimestampMessage];
                break;
            case "concurrency_key":
                if (v.ValueKind == JsonValueKind.String) ConcurrencyKey = v.GetString();
                else errors[field] = ["must be a string or null"];
                break;
            case "concurrency_limit":
                if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var limit)) ConcurrencyLimit = limit;
                else errors[field] = ["must be an integer from 1 to 1000"];
                break;
        }
    }

    /// <summary>The value as a timestamp when it is a string in RFC 3339 form with an explicit offset (Z or ±hh:mm).</summary>
    private static DateTimeOffset? Timestamp(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.String) return null;
        var s = v.GetString()!;
        var t = s.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (t < 10 || s.Length > 40) return null;
        var zone = s[(t + 1)..];
        var hasOffset = zone.EndsWith('Z') || zone.EndsWith('z') || zone.Contains('+') || zone.Contains('-');
        if (!hasOffset) return null;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) ? value.ToUniversalTime() : null;
    }
}
