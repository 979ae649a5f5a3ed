using System.Text;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>One span of an OTLP trace export: ids in lowercase hex (empty parent for a root), name, links' trace and span ids, string attributes, event names.</summary>
internal sealed record OtlpSpan(string Scope, string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyList<(string TraceId, string SpanId)> Links, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> Events)
{
    /// <summary>Start time, Unix nanoseconds.</summary>
    public ulong StartNanos { get; init; }

    /// <summary>End time, Unix nanoseconds.</summary>
    public ulong EndNanos { get; init; }

    /// <summary>The status code (0 unset, 1 ok, 2 error).</summary>
    public ulong StatusCode { get; init; }

    /// <summary>The status message; empty when none.</summary>
    public string StatusMessage { get; init; } = "";

    public override string ToString() => $"{Scope}:{Name} {TraceId}/{SpanId}<-{ParentSpanId}";

    /// <summary>Decodes an <c>ExportTraceServiceRequest</c>: resource_spans(1) → scope_spans(2) → scope(1).name(1), spans(2).</summary>
    public static IEnumerable<OtlpSpan> Decode(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1).Select(f => f.Bytes!))
        foreach (var scopeSpans in Fields(resourceSpans).Where(f => f.Number == 2).Select(f => f.Bytes!))
        {
            var scope = Fields(scopeSpans).Where(f => f.Number == 1).Select(f => Text(Fields(f.Bytes!), 1)).FirstOrDefault() ?? "";
            foreach (var span in Fields(scopeSpans).Where(f => f.Number == 2).Select(f => Fields(f.Bytes!).ToList()))
            {
                var links = span.Where(f => f.Number == 13).Select(f => Fields(f.Bytes!).ToList())
                    .Select(l => (Hex(l, 1), Hex(l, 2))).ToList();
                var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var kv in span.Where(f => f.Number == 9).Select(f => Fields(f.Bytes!).ToList()))
                {
                    var value = kv.FirstOrDefault(f => f.Number == 2).Bytes is { } any ? Fields(any).FirstOrDefault() : default;
                    attributes[Text(kv, 1) ?? ""] = value.Number switch
                    {
                        1 => Encoding.UTF8.GetString(value.Bytes!),
                        3 => value.Varint.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => "",
                    };
                }
                var events = span.Where(f => f.Number == 11).Select(f => Text(Fields(f.Bytes!), 2) ?? "").ToList();
                var status = span.FirstOrDefault(f => f.Number == 15).Bytes is { } st ? Fields(st).ToList() : [];
                yield return new OtlpSpan(scope, Hex(span, 1), Hex(span, 2), Hex(span, 4), Text(span, 5) ?? "", links, attributes, events)
                {
                    StartNanos = Fixed64(span, 7),
                    EndNanos = Fixed64(span, 8),
                    StatusCode = status.FirstOrDefault(f => f.Number == 3).Varint,
                    StatusMessage = Text(status, 2) ?? "",
                };
            }
        }
    }

    private static string Hex(IEnumerable<(int Number, byte[]? Bytes, ulong Varint)> fields, int number)
        => fields.FirstOrDefault(f => f.Number == number).Bytes is { } bytes ? Convert.ToHexStringLower(bytes) : "";

    private static ulong Fixed64(IEnumerable<(int Number, byte[]? Bytes, ulong Varint)> fields, int number)
        => fields.FirstOrDefault(f => f.Number == number).Bytes is { Length: 8 } bytes ? System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes) : 0;

    private static string? Text(IEnumerable<(int Number, byte[]? Bytes, ulong Varint)> fields, int number)
        => fields.FirstOrDefault(f => f.Number == number).Bytes is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The fields of one protobuf message: length-delimited ones with their bytes, varints with their value.</summary>
    private static IEnumerable<(int Number, byte[]? Bytes, ulong Varint)> Fields(byte[] message)
    {
        var position = 0;
        var result = new List<(int, byte[]?, ulong)>();
        while (position < message.Length)
        {
            var tag = Varint(message, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    result.Add((number, null, Varint(message, ref position)));
                    break;
                case 1:
                    result.Add((number, message[position..(position + 8)], 0));
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref position);
                    result.Add((number, message[position..(position + length)], 0));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported protobuf wire type {tag & 7}.");
            }
        }
        return result;
    }

    private static ulong Varint(byte[] data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
