namespace Longhaul.Import;

/// <summary>One converted cell, unboxed: which field holds it follows the column's <see cref="ValueKind"/>.</summary>
internal struct ImportValue
{
    public bool IsNull;
    public long Integer;
    public double Real;
    public decimal Number;
    public string? Text;
    public DateTime Time;
    public Guid Uuid;
}
