namespace Longhaul.Import;

/// <summary>The result of a finished import.</summary>
/// <param name="RowsInserted">Rows added to the table.</param>
/// <param name="RowsSkipped">Bad rows left out (<c>on_error: skip</c>).</param>
/// <param name="Bytes">Bytes of the upload read.</param>
/// <param name="Table">The table loaded.</param>
/// <param name="ErrorReportUrl">With skipped rows: an operation file (CSV: line, column, reason) of the first errors, at most <c>MaxReportedErrors</c>; else null.</param>
/// <param name="ErrorsReported">Errors in the report.</param>
public sealed record ImportResult(long RowsInserted, long RowsSkipped, long Bytes, string Table, string? ErrorReportUrl, long ErrorsReported);
