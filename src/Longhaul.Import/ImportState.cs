namespace Longhaul.Import;

/// <summary>An import's row of <c>longhaul_imports</c> in the target: where the committed chunks end and what they held.</summary>
/// <param name="Offset">The upload offset after the last committed chunk.</param>
/// <param name="Line">The line the next record starts on.</param>
/// <param name="Inserted">Rows committed.</param>
/// <param name="Skipped">Bad rows left out so far.</param>
/// <param name="Reported">Errors stored in <c>longhaul_import_errors</c>.</param>
/// <param name="Done">The import finished (staged rows, if any, are in the table).</param>
internal sealed record ImportState(long Offset, long Line, long Inserted, long Skipped, long Reported, bool Done);
