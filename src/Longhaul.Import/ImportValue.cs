using System.Runtime.InteropServices;

namespace Longhaul.Import;

/// <summary>
/// One converted cell, unboxed: which field holds it follows the column's <see cref="ValueKind"/>. The value fields
/// overlap (a cell is one of them), so a chunk of cells stays small: 24 bytes a cell. A text cell is a range of its
/// batch's text arena (<see cref="ImportBatch.TextOf"/>), not a string: a cell holds no reference, so a chunk of cells
/// is an array the GC never scans, and a chunk's text is one reused array instead of a string per cell that outlives
/// the young generation (it is referenced from a large array) and waits for a full GC (ADR 32).
/// </summary>
[StructLayout(LayoutKind.Explicit)]
internal struct ImportValue
{
    [FieldOffset(0)] public long Integer;
    [FieldOffset(0)] public double Real;
    [FieldOffset(0)] public DateTime Time;
    [FieldOffset(0)] public decimal Number;
    [FieldOffset(0)] public Guid Uuid;

    /// <summary>A text cell: where its characters start in the batch's text arena.</summary>
    [FieldOffset(0)] public int TextStart;

    /// <summary>A text cell: how many characters it has.</summary>
    [FieldOffset(4)] public int TextLength;

    [FieldOffset(16)] public bool IsNull;
}
