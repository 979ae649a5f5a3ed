using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Longhaul.Tests.Infrastructure;

/// <summary>
/// FsCheck generators of JSON text as a hostile client writes it, built as text (not through a serializer) so that
/// it can hold what serializers never write: lone surrogate escapes, raw control characters, duplicate member names,
/// huge numbers, deep nesting, bytes that are not UTF-8. Most bodies are shaped like a creation request, so that many
/// get past validation and the hostile values reach the store, the worker and every read.
/// </summary>
public static class HostileJson
{
    /// <summary>A byte that is never valid UTF-8, written into a string by the <see cref="Piece"/> "\xFF" marker.</summary>
    public const char InvalidByteMarker = '\uE000';

    /// <summary>Pieces of strings that are valid JSON and valid Unicode, however unusual.</summary>
    private static readonly string[] ValidPieces =
    [
        "a", "kind", "input", "Zürich", "日本", "😀", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f", "\\r",
        "\\u0000", "\\u001f", "\\u007f", "\\u00e9", "\\u2028", "\\uffff", "\\ufffe", "\\ud83d\\ude00", "\\uD83D\\uDE00",
        "%00", "<script>", "' OR 1=1 --", "${env:HOME}",
    ];

    /// <summary>Pieces that make a string invalid: lone surrogate escapes, raw control characters, a byte that is not UTF-8.</summary>
    private static readonly string[] InvalidPieces =
    [
        "\\ud800", "\\udbff", "\\udc00", "\\uDFFF", "\\ude00\\ud83d", "\\ud800\\ud800", "\\ud83d", "\\ud83dx",
        "\u0001", "\u001f", "\t", "\n", InvalidByteMarker.ToString(),
    ];

    private static readonly Gen<string> Piece = Gen.Frequency((30, Gen.Elements(ValidPieces)), (1, Gen.Elements(InvalidPieces)));

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "1.5", "1e3", "1E+2", "-1e-7", "1e999999", "-1e999999", "1e-400", "123456789012345678901234567890",
        "9007199254740993", "2147483648", "-2147483649", "0.1e1", "3.0",
    ];

    /// <summary>A JSON string token (with its quotes).</summary>
    public static Gen<string> String { get; } =
        Piece.ListOf().Resize(6).Select(parts => "\"" + string.Concat(parts) + "\"");

    public static Gen<string> Number { get; } = Gen.Elements(Numbers);

    public static Gen<string> Scalar { get; } = Gen.Frequency(
        (4, String), (2, Number), (1, Gen.Elements("true", "false", "null")));

    /// <summary>Any JSON value, nesting as deep as the size allows; now and then far deeper than the server accepts.</summary>
    public static Gen<string> Value { get; } = Gen.Sized(size => ValueOfDepth(Math.Min(size, 4))).Resize(4);

    /// <summary>A body: mostly a creation request with hostile parts, sometimes anything at all.</summary>
    public static Gen<string> Body { get; } = Gen.Frequency(
        (8, CreationRequest()),
        (1, Value),
        (1, Deep()));

    /// <summary>The body's bytes: UTF-8, with every <see cref="InvalidByteMarker"/> turned into a byte that is never valid UTF-8.</summary>
    public static byte[] ToBytes(string body)
    {
        var parts = body.Split(InvalidByteMarker);
        var bytes = new List<byte>(body.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) bytes.Add(0xFF);
            bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }
        return [.. bytes];
    }

    private static Gen<string> ValueOfDepth(int depth)
        => depth <= 0
            ? Scalar
            : Gen.Frequency(
                (3, Scalar),
                (1, ValueOfDepth(depth - 1).ListOf().Resize(4).Select(items => "[" + string.Join(",", items) + "]")),
                (1, Object(ValueOfDepth(depth - 1))));

    private static Gen<string> Object(Gen<string> values)
    {
        // Names from a small pool now and then, so that duplicate members occur.
        var name = Gen.Frequency((1, Gen.Elements("\"a\"", "\"b\"", "\"token\"", "\"seconds\"")), (4, String));
        var member = from n in name from v in values select n + ":" + v;
        return member.ListOf().Resize(4).Select(members => "{" + string.Join(",", members) + "}");
    }

    private static Gen<string> Deep()
        => from depth in Gen.Choose(20, 80)
           from inner in Scalar
           from arrays in Gen.Elements(true, false)
           select arrays
               ? new string('[', depth) + inner + new string(']', depth)
               : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + inner + new string('}', depth);

    private static Gen<string> CreationRequest()
    {
        var kind = Gen.Frequency((12, Gen.Constant("\"echo\"")), (1, Gen.Constant("\"sleep\"")), (1, String));
        var input = Gen.Frequency((4, Object(Value)), (1, Value));
        var metadata = Gen.Frequency((4, Object(Value)), (1, Value));
        var options = Gen.Frequency(
            (3, from attempts in Number from timeout in Number select $"{{\"max_attempts\":{attempts},\"timeout_seconds\":{timeout}}}"),
            (1, Object(Value)));
        var member = Gen.Frequency(
            (6, input.Select(v => "\"input\":" + v)),
            (6, metadata.Select(v => "\"metadata\":" + v)),
            (1, options.Select(v => "\"options\":" + v)),
            (1, from n in String from v in Value select n + ":" + v));
        // Unknown members are refused: they are rare, so that most bodies reach the store.
        return from k in kind
               from members in member.ListOf().Resize(3)
               from kindFirst in Gen.Elements(true, false)
               select "{" + string.Join(",", kindFirst ? members.Prepend("\"kind\":" + k) : members.Append("\"kind\":" + k)) + "}";
    }
}
