using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Longhaul.Import;

/// <summary>How a CSV upload is read.</summary>
public sealed record ImportCsvOptions
{
    /// <summary>The first record names the columns. Defaults to true; without a header the mapping's sources are 1-based column numbers (<c>"1"</c>, <c>"2"</c>, …).</summary>
    [Description("The first record names the columns; without one, mapping sources are 1-based column numbers.")]
    public bool Header { get; init; } = true;

    /// <summary>The field separator: one character, not a quote, CR or LF. Defaults to <c>,</c>.</summary>
    [Description("The field separator, one character."), RegularExpression("^[^\"\\r\\n]$")]
    public string Delimiter { get; init; } = ",";

    /// <summary><c>"</c> (RFC 4180 quoting, quotes doubled inside) or <c>none</c> (quotes are ordinary characters). Defaults to <c>"</c>.</summary>
    [Description("\" (RFC 4180 quoting) or none."), RegularExpression("^(\"|none)$")]
    public string Quote { get; init; } = "\"";
}
