namespace ReportKind;

/// <summary>What the <c>report</c> kind saves after each page: the pages done so far.</summary>
/// <param name="PagesDone">Pages rendered and saved.</param>
public sealed record ReportCheckpoint(int PagesDone);
