namespace ReportKind;

/// <summary>The result of a <c>report</c> operation, stored snake_case (<c>resumed_from_page</c>, …).</summary>
/// <param name="Title">The report's title.</param>
/// <param name="Pages">Pages rendered in all.</param>
/// <param name="ResumedFromPage">The last page already done when this attempt began (0 when it began afresh).</param>
/// <param name="Attempt">The attempt that finished the report.</param>
public sealed record ReportResult(string Title, int Pages, int ResumedFromPage, int Attempt);
