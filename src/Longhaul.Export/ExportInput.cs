using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Longhaul.Export;

/// <summary>The input of the <c>export</c> kind; its schema and rules are generated from this type, the source's allow-list checked on start.</summary>
public sealed record ExportInput
{
    /// <summary>A source configured under <c>Longhaul:Export:Sources</c>.</summary>
    [Description("A source configured by the operator."), MinLength(1)]
    public required string Source { get; init; }

    /// <summary>A table or view the source allows; or give <see cref="Query"/>.</summary>
    [Description("A table or view the source allows (or give query)."), MinLength(1)]
    public string? Table { get; init; }

    /// <summary>A named query the source defines; or give <see cref="Table"/>.</summary>
    [Description("A named query the source defines (or give table)."), MinLength(1)]
    public string? Query { get; init; }

    /// <summary>Values of the named query's parameters, by name, each of the declared type.</summary>
    [Description("Values of the named query's parameters, by name.")]
    public System.Text.Json.JsonElement? Parameters { get; init; }

    /// <summary>The columns to export, in this order; a subset of the allowed ones. Defaults to every allowed column.</summary>
    [Description("Columns to export, in order; default every allowed column.")]
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Comparisons every exported row satisfies (AND). Defaults to none.</summary>
    [Description("Comparisons every exported row satisfies (AND).")]
    public IReadOnlyList<ExportFilter>? Filter { get; init; }

    /// <summary><c>csv</c> (RFC 4180 with a header), <c>ndjson</c> or <c>parquet</c>. Defaults to <c>csv</c>.</summary>
    [Description("csv (RFC 4180, header), ndjson or parquet."), RegularExpression("^(csv|ndjson|parquet)$")]
    public string Format { get; init; } = "csv";

    /// <summary>Compress a CSV or NDJSON file with gzip (Parquet is compressed inside, with Snappy). Defaults to false.</summary>
    [Description("Compress a csv or ndjson file with gzip.")]
    public bool Gzip { get; init; }

    /// <summary>CSV only: prefix cells starting with =, +, -, @, tab or CR with a quote ('). Defaults to true.</summary>
    [Description("CSV only: prefix cells starting with = + - @ tab CR with '.")]
    public bool EscapeFormulas { get; init; } = true;

    /// <summary>Lifetime of the download link in seconds, within the server's bounds. Defaults to the server's <c>LinkLifetime</c>.</summary>
    [Description("Download link lifetime in seconds, within the server's bounds."), Range(1, 31_536_000)]
    public int? ExpiresInSeconds { get; init; }

    /// <summary>
    /// After a crash: <c>checkpoint</c> continues after the last stored part (each attempt reads its own snapshot);
    /// <c>restart</c> starts the file again from the first row, so the whole file comes from one snapshot. Defaults to
    /// <c>checkpoint</c>.
    /// </summary>
    [Description("After a crash: checkpoint (continue) or restart (one snapshot)."), RegularExpression("^(checkpoint|restart)$")]
    public string Resume { get; init; } = "checkpoint";
}
