namespace Longhaul.Store.Tests.Starter;

/// <summary>The <c>report</c> kind's result.</summary>
public sealed record ReportResult(string Title, int Pages);
