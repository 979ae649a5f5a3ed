using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Longhaul.Contracts;

/// <summary>Writes timestamps as RFC 3339 UTC with milliseconds (<c>2026-11-22T10:00:00.123Z</c>).</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Reads an RFC 3339 timestamp; one without an offset is taken as UTC.</summary>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Writes the value in UTC with exactly three fractional digits and <c>Z</c>.</summary>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<char> buffer = stackalloc char[24];
        value.UtcDateTime.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
