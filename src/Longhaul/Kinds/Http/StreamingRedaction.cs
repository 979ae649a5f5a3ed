using System.Buffers;

namespace Longhaul.Kinds.Http;

/// <summary>
/// <see cref="SecretRedactor"/> over a stream read in pieces: the last bytes of each piece that could begin a secret are
/// held back until the next piece (or <see cref="Flush"/>) decides.
/// </summary>
internal sealed class StreamingRedaction(SecretRedactor redactor)
{
    private readonly ArrayBufferWriter<byte> _output = new();
    private byte[] _carry = [];

    /// <summary>The redacted bytes that are final so far; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Push(ReadOnlySpan<byte> data)
    {
        _output.ResetWrittenCount();
        if (redactor.IsEmpty)
        {
            _output.Write(data);
            return _output.WrittenMemory;
        }
        var input = _carry.Length == 0 ? data : [.. _carry, .. data];
        var rest = redactor.RedactInto(input, _output);
        var tail = input[rest..];
        var keep = Math.Min(tail.Length, redactor.LongestSecretBytes - 1);
        _output.Write(tail[..^keep]);
        _carry = tail[^keep..].ToArray();
        return _output.WrittenMemory;
    }

    /// <summary>The held-back end of the stream.</summary>
    public ReadOnlyMemory<byte> Flush()
    {
        _output.ResetWrittenCount();
        _output.Write(_carry);
        _carry = [];
        return _output.WrittenMemory;
    }
}
