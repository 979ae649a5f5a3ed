namespace ReportClient;

/// <summary>The report kind's input, sent as <c>{ "title", "pages", "page_milliseconds" }</c> (the client writes snake_case).</summary>
public sealed record ReportRequest(string Title, int Pages, int PageMilliseconds);
