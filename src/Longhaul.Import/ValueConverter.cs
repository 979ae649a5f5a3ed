using System.Globalization;

namespace Longhaul.Import;

/// <summary>Text to a column's type, invariant culture; a failure names the reason (reported per row). Text and JSON columns are not converted: the batch keeps their characters (<see cref="ImportBatch.SetText"/>).</summary>
internal static class ValueConverter
{
    private const NumberStyles Integer = NumberStyles.AllowLeadingSign;
    private const NumberStyles Real = NumberStyles.Float;
    private const DateTimeStyles Utc = DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal;

    public static bool TryConvert(ReadOnlySpan<char> text, ValueKind kind, ref ImportValue value, out string? reason)
    {
        reason = null;
        value.IsNull = false;
        var c = CultureInfo.InvariantCulture;
        switch (kind)
        {
            case ValueKind.Int16:
                if (short.TryParse(text, Integer, c, out var s)) { value.Integer = s; return true; }
                return Fail("a 16-bit integer", text, out reason);
            case ValueKind.Int32:
                if (int.TryParse(text, Integer, c, out var i)) { value.Integer = i; return true; }
                return Fail("a 32-bit integer", text, out reason);
            case ValueKind.Int64:
                if (long.TryParse(text, Integer, c, out var l)) { value.Integer = l; return true; }
                return Fail("a 64-bit integer", text, out reason);
            case ValueKind.Float32 or ValueKind.Float64:
                if (double.TryParse(text, Real, c, out var d)) { value.Real = d; return true; }
                return Fail("a number", text, out reason);
            case ValueKind.Decimal:
                if (decimal.TryParse(text, Real, c, out var m)) { value.Number = m; return true; }
                return Fail("a decimal number", text, out reason);
            case ValueKind.Boolean:
                if (TryBoolean(text, out var b)) { value.Integer = b ? 1 : 0; return true; }
                return Fail("a boolean (true/false, t/f, 1/0, yes/no)", text, out reason);
            case ValueKind.Date:
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", c, DateTimeStyles.None, out var date)) { value.Time = date.ToDateTime(TimeOnly.MinValue); return true; }
                return Fail("a date (yyyy-MM-dd)", text, out reason);
            case ValueKind.Timestamp:
                if (DateTime.TryParse(text, c, DateTimeStyles.None, out var t)) { value.Time = DateTime.SpecifyKind(t, DateTimeKind.Unspecified); return true; }
                return Fail("a timestamp (ISO 8601)", text, out reason);
            case ValueKind.TimestampTz:
                if (DateTime.TryParse(text, c, Utc, out var tz)) { value.Time = tz; return true; }
                return Fail("a timestamp (ISO 8601; without an offset, UTC)", text, out reason);
            case ValueKind.Uuid:
                if (Guid.TryParse(text, out var g)) { value.Uuid = g; return true; }
                return Fail("a UUID", text, out reason);
            default:
                return Fail("a supported type", text, out reason);
        }
    }

    private static bool TryBoolean(ReadOnlySpan<char> text, out bool value)
    {
        value = text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("t", StringComparison.OrdinalIgnoreCase) || text.Equals("yes", StringComparison.OrdinalIgnoreCase);
        return value || text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.Equals("f", StringComparison.OrdinalIgnoreCase) || text.Equals("no", StringComparison.OrdinalIgnoreCase);
    }

    private static bool Fail(string expected, ReadOnlySpan<char> text, out string reason)
    {
        var shown = text.Length > 40 ? string.Concat(text[..40], "…") : text.ToString();
        reason = $"'{shown}' is not {expected}";
        return false;
    }
}
