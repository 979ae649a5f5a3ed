using System.Runtime.InteropServices;

namespace Longhaul.Import;

/// <summary>
/// One converted cell, unboxed: which field holds it follows the column's <see cref="ValueKind"/>. The value fields
/// overlap (a cell is one of them), so a chunk of cells stays small: 32 bytes a cell.
/// </summary>
[StructLayout(LayoutKind.Explicit)]
internal struct ImportValue
{
    [FieldOffset(0)] public string? Text;
    [FieldOffset(8)] public long Integer;
    [FieldOffset(8)] public double Real;
    [FieldOffset(8)] public DateTime Time;
    [FieldOffset(8)] public decimal Number;
    [FieldOffset(8)] public Guid Uuid;
    [FieldOffset(24)] public bool IsNull;
}
