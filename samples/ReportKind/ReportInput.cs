using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace ReportKind;

/// <summary>
/// The input of the <c>report</c> kind. This type is the one statement of the input's rules: Longhaul generates the
/// schema of <c>GET /v1/kinds</c> from it and validates every start against it (422 with <c>input.pages</c> etc.).
/// </summary>
public sealed record ReportInput
{
    [Description("The report's title."), StringLength(200, MinimumLength = 1)]
    public required string Title { get; init; }

    [Description("How many pages to render."), Range(1, 1000)]
    public required int Pages { get; init; }

    [Description("Milliseconds spent rendering each page."), Range(0, 60_000)]
    public int PageMilliseconds { get; init; } = 200;
}
