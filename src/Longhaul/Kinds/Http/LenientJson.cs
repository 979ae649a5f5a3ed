using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Longhaul.Kinds.Http;

/// <summary>
/// Upstream JSON as it really arrives: strings may hold lone surrogates (the escape <c>\ud800</c> without its pair)
/// or bytes that are not UTF-8. System.Text.Json parses such text but throws when a string is read or written, so
/// an upstream answer would fail the call after the upstream did the work. Here such strings come back with U+FFFD
/// in place of each bad unit, and everything else as sent.
/// </summary>
internal static class LenientJson
{
    private const char Replacement = '\uFFFD';

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON text as a node whose strings are all valid Unicode; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8) => JsonNode.Parse(Clean(utf8));

    /// <summary>
    /// <paramref name="element"/> with every string valid Unicode: the same element when nothing needs fixing (the
    /// usual case, checked without allocating), else a repaired copy.
    /// </summary>
    public static JsonElement Clean(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (!MayNeedRepair(raw)) return element;
        using var document = JsonDocument.Parse(Rewrite(raw));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// A JSON string element's value with its escapes undone, lone surrogates kept (so that two halves of a pair sent
    /// in two strings can be joined); invalid UTF-8 becomes U+FFFD.
    /// </summary>
    public static string ReadString(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        return Unescape(raw[1..^1]);
    }

    /// <summary><paramref name="text"/> with each surrogate that is not part of a pair replaced by U+FFFD.</summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
            else if (char.IsSurrogate(chars[i])) chars[i] = Replacement;
        }
        return new string(chars);
    }

    private static byte[] Clean(ReadOnlySpan<byte> utf8)
        => MayNeedRepair(utf8) ? Rewrite(utf8) : utf8.ToArray();

    /// <summary>False only when every string is certainly fine: valid UTF-8 and no <c>\uD…</c> escape.</summary>
    private static bool MayNeedRepair(ReadOnlySpan<byte> utf8)
        => !System.Text.Unicode.Utf8.IsValid(utf8) || utf8.IndexOf("\\ud"u8) >= 0 || utf8.IndexOf("\\uD"u8) >= 0;

    private static byte[] Rewrite(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        var output = new ArrayBufferWriter<byte>(utf8.Length + 16);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(ReplaceLoneSurrogates(ReadString(ref reader)));
                        break;
                    case JsonTokenType.String:
                        writer.WriteStringValue(ReplaceLoneSurrogates(ReadString(ref reader)));
                        break;
                    case JsonTokenType.Number:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                    case JsonTokenType.True:
                        writer.WriteBooleanValue(true);
                        break;
                    case JsonTokenType.False:
                        writer.WriteBooleanValue(false);
                        break;
                    case JsonTokenType.Null:
                        writer.WriteNullValue();
                        break;
                }
            }
        }
        return output.WrittenSpan.ToArray();
    }

    private static string ReadString(ref Utf8JsonReader reader)
        => reader.ValueIsEscaped ? Unescape(reader.ValueSpan) : Encoding.UTF8.GetString(reader.ValueSpan);

    /// <summary>Undoes JSON escapes in a string's raw bytes (already checked by the reader); <c>\uXXXX</c> is taken as is, even half a pair.</summary>
    private static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (raw.Length > 0)
        {
            var backslash = raw.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                text.Append(Encoding.UTF8.GetString(raw));
                break;
            }
            // Escapes are ASCII, so splitting the UTF-8 around them never splits a character.
            text.Append(Encoding.UTF8.GetString(raw[..backslash]));
            raw = raw[backslash..];
            if (raw.Length < 2)
            {
                text.Append(Replacement);
                break;
            }
            var consumed = 2;
            switch (raw[1])
            {
                case (byte)'b': text.Append('\b'); break;
                case (byte)'f': text.Append('\f'); break;
                case (byte)'n': text.Append('\n'); break;
                case (byte)'r': text.Append('\r'); break;
                case (byte)'t': text.Append('\t'); break;
                case (byte)'u' when raw.Length >= 6 && ushort.TryParse(raw.Slice(2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit):
                    text.Append((char)unit);
                    consumed = 6;
                    break;
                default: text.Append((char)raw[1]); break;
            }
            raw = raw[consumed..];
        }
        return text.ToString();
    }
}
