namespace Longhaul.Client;

/// <summary>A piece of the file was written: <paramref name="bytes"/>, then <paramref name="written"/> in all, of <paramref name="total"/>.</summary>
internal delegate void WroteBytes(ReadOnlySpan<byte> bytes, long written, long? total);
