using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Longhaul;

/// <summary>Operation ids: <c>op_</c> + 26 lower-case Crockford base32 characters (48-bit ms time, 80 random bits).</summary>
public static class OperationIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int RandomBytes = 10;

    // Cryptographic randomness fetched 4 KiB at a time per thread: one getrandom call per ~400 ids, not one per id.
    [ThreadStatic] private static byte[]? t_random;
    [ThreadStatic] private static int t_randomOffset;

    /// <summary>A new id whose time part is <paramref name="time"/>'s now, so ids sort by creation time.</summary>
    public static string New(TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() << 16);
        NextRandom(bytes[6..]);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        Span<char> chars = stackalloc char[29];
        "op_".CopyTo(chars);
        for (var i = 28; i >= 3; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }

    private static void NextRandom(Span<byte> destination)
    {
        var buffer = t_random ??= new byte[4096];
        if (t_randomOffset == 0 || t_randomOffset + RandomBytes > buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            t_randomOffset = 0;
        }
        buffer.AsSpan(t_randomOffset, RandomBytes).CopyTo(destination);
        buffer.AsSpan(t_randomOffset, RandomBytes).Clear();
        t_randomOffset += RandomBytes;
    }

    /// <summary>True when <paramref name="id"/> has the shape of an operation id.</summary>
    public static bool IsWellFormed(string? id)
    {
        if (id is null || id.Length != 29 || !id.StartsWith("op_", StringComparison.Ordinal)) return false;
        for (var i = 3; i < id.Length; i++)
        {
            if (!Alphabet.Contains(id[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }
}
