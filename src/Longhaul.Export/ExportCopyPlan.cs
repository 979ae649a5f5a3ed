namespace Longhaul.Export;

/// <summary>
/// A CSV export that PostgreSQL formats itself (<see cref="ExportPostgresCopy"/>): the <c>COPY</c> statement, which of
/// its fields are text, and where the key fields are. PostgreSQL writes the columns as they are; the two things the
/// general path does differently to text cells, an empty string as an empty field and the formula escape, are applied
/// to each row here (<see cref="ExportPostgresCopy.WriteRow"/>), on the export's side of the connection.
/// </summary>
/// <param name="Sql">The <c>COPY (SELECT …) TO STDOUT (FORMAT csv)</c> statement.</param>
/// <param name="Text">Per exported column: true for a text column.</param>
/// <param name="KeyFields">The positions of the key columns among the exported columns.</param>
/// <param name="EscapeFormulas">Whether text cells that a spreadsheet would run as a formula get a leading <c>'</c>.</param>
internal sealed record ExportCopyPlan(string Sql, bool[] Text, int[] KeyFields, bool EscapeFormulas)
{
    /// <summary>The most bytes <see cref="ExportPostgresCopy.WriteRow"/> adds to a row without its LF: a <c>'</c> per text field and the CRLF.</summary>
    public int MaxGrowth { get; } = Text.Count(t => t) + 2;
}
