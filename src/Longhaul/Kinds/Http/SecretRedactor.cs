using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace Longhaul.Kinds.Http;

/// <summary>
/// Replaces an upstream's injected secrets (the values its headers take from environment variables) with
/// <see cref="Replacement"/> in whatever the upstream sends back, before anything is stored.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Replacement = "[REDACTED]";

    /// <summary>Shorter values are not searched for: they would mangle ordinary text and cannot be secrets worth the name.</summary>
    public const int MinSecretLength = 4;

    private static readonly byte[] ReplacementBytes = Encoding.UTF8.GetBytes(Replacement);

    private readonly string[] _secrets;
    private readonly byte[][] _secretBytes;

    public SecretRedactor(IEnumerable<string> secrets)
    {
        _secrets = [.. secrets.Where(s => s.Length >= MinSecretLength).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
        _secretBytes = [.. _secrets.Select(Encoding.UTF8.GetBytes)];
        LongestSecretBytes = _secretBytes.Length == 0 ? 0 : _secretBytes.Max(b => b.Length);
    }

    public bool IsEmpty => _secrets.Length == 0;

    internal int LongestSecretBytes { get; }

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, Replacement, StringComparison.Ordinal);
        }
        return text;
    }

    public byte[] Redact(ReadOnlySpan<byte> bytes)
    {
        if (IsEmpty) return bytes.ToArray();
        var output = new ArrayBufferWriter<byte>(bytes.Length);
        var rest = RedactInto(bytes, output);
        output.Write(bytes[rest..]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The string values of <paramref name="node"/> redacted in place (this catches secrets a JSON encoder escaped).</summary>
    public JsonNode? Redact(JsonNode? node)
    {
        if (IsEmpty) return node;
        switch (node)
        {
            // Only a replaced string goes back in: a node still in its parent cannot be set again ("The node already has a parent").
            case JsonObject o:
                foreach (var (name, child) in o.ToList())
                {
                    if (Redact(child) is var replaced && !ReferenceEquals(replaced, child)) o[name] = replaced;
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var child = a[i];
                    if (Redact(child) is var replaced && !ReferenceEquals(replaced, child)) a[i] = replaced;
                }
                return a;
            case JsonValue v when v.TryGetValue<string>(out var s):
                var redacted = Redact(s);
                return ReferenceEquals(redacted, s) ? v : JsonValue.Create(redacted);
            default:
                return node;
        }
    }

    /// <summary>A redaction of a byte stream that arrives in pieces: a secret split across two pieces is still found.</summary>
    public StreamingRedaction Stream() => new(this);

    /// <summary>Writes <paramref name="input"/> up to the end of its last secret, each secret replaced; returns where the unmatched tail starts.</summary>
    internal int RedactInto(ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output)
    {
        var position = 0;
        while (true)
        {
            int best = -1, bestLength = 0;
            foreach (var secret in _secretBytes)
            {
                var found = input[position..].IndexOf(secret);
                if (found >= 0 && (best < 0 || found < best)) (best, bestLength) = (found, secret.Length);
            }
            if (best < 0) return position;
            output.Write(input.Slice(position, best));
            output.Write(ReplacementBytes);
            position += best + bestLength;
        }
    }
}
