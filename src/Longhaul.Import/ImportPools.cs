using System.Buffers;

namespace Longhaul.Import;

/// <summary>
/// The pools of an import's large arrays (read buffer, converted cells, text arenas, record positions), shared by all imports of
/// the process. Not <see cref="ArrayPool{T}.Shared"/>: it keeps a returned array in the returning thread's own slot,
/// which the next import (resumed on other thread-pool threads after its awaits) mostly cannot see, so every import
/// allocated its ~40 MB afresh on the large object heap and they piled up until a full GC. These pools are visible to
/// every thread; each keeps at most <see cref="PerSize"/> arrays of a size (imports running at once beyond that
/// allocate and drop theirs), so what they retain is bounded whatever the files.
/// </summary>
internal static class ImportPools
{
    /// <summary>Arrays kept per size: two imports at once reuse theirs.</summary>
    public const int PerSize = 4;

    private const int MaxLength = 64 * 1024 * 1024;

    public static ArrayPool<byte> Bytes { get; } = ArrayPool<byte>.Create(MaxLength, PerSize);

    public static ArrayPool<char> Chars { get; } = ArrayPool<char>.Create(MaxLength, PerSize);

    public static ArrayPool<ImportValue> Values { get; } = ArrayPool<ImportValue>.Create(MaxLength, PerSize);

    public static ArrayPool<int> Ints { get; } = ArrayPool<int>.Create(MaxLength, PerSize * 2);

    public static ArrayPool<long> Longs { get; } = ArrayPool<long>.Create(MaxLength, PerSize);
}
