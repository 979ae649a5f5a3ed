using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Longhaul.Import;

/// <summary>The input of the <c>import</c> kind; its schema and rules are generated from this type, the target's allow-list and columns checked on start.</summary>
public sealed record ImportInput
{
    /// <summary>A finished upload of the caller's tenant (<c>up_…</c>, from <c>/v1/uploads</c>).</summary>
    [Description("A finished upload (up_…) from /v1/uploads."), MinLength(1)]
    public required string Upload { get; init; }

    /// <summary>A target configured under <c>Longhaul:Import:Targets</c>.</summary>
    [Description("A target database configured by the operator."), MinLength(1)]
    public required string Target { get; init; }

    /// <summary>A table the target allows.</summary>
    [Description("A table the target allows."), MinLength(1)]
    public required string Table { get; init; }

    /// <summary><c>csv</c> or <c>ndjson</c> (one JSON object per line). Defaults to <c>csv</c>.</summary>
    [Description("csv or ndjson."), RegularExpression("^(csv|ndjson)$")]
    public string Format { get; init; } = "csv";

    /// <summary>CSV only: header, delimiter and quote.</summary>
    [Description("CSV only: header, delimiter, quote.")]
    public ImportCsvOptions? Csv { get; init; }

    /// <summary>
    /// Source column (CSV header name, 1-based column number without a header, or NDJSON member) → table column.
    /// Defaults to every CSV header name (or the NDJSON members of the first line) to the table column of the same name.
    /// </summary>
    [Description("Source column → table column; default: same names.")]
    public IReadOnlyDictionary<string, string>? Mapping { get; init; }

    /// <summary>
    /// <c>fail</c>: the file is checked first and the first bad row fails the import before anything is loaded;
    /// <c>skip</c>: bad rows are left out and reported, up to <see cref="MaxErrors"/>. Defaults to <c>fail</c>.
    /// </summary>
    [Description("fail (check first, load nothing on a bad row) or skip (leave bad rows out, up to max_errors)."), RegularExpression("^(fail|skip)$")]
    public string OnError { get; init; } = "fail";

    /// <summary>With <c>skip</c>: the import fails once more rows than this were bad. Defaults to 1000.</summary>
    [Description("With skip: fail after this many bad rows."), Range(0, int.MaxValue)]
    public long MaxErrors { get; init; } = 1000;

    /// <summary>Rows per chunk (1 to 100000; a chunk also ends at <c>MaxChunkBytes</c>): each chunk commits with its checkpoint in one transaction of the target. Defaults to 50000.</summary>
    [Description("Rows per chunk (one transaction with its checkpoint), 1 to 100000."), Range(1, 100_000)]
    public int ChunkRows { get; init; } = 50_000;

    /// <summary>Load into a staging table and add its rows to the table in one transaction at the end, so a cancel or failure leaves the table as it was. Defaults to false.</summary>
    [Description("Stage the rows and add them all in one transaction at the end.")]
    public bool AllOrNothing { get; init; }
}
