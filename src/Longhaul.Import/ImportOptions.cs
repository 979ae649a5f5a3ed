namespace Longhaul.Import;

/// <summary>The <c>import</c> kind's settings (<c>Longhaul:Import</c>), validated at start-up.</summary>
public sealed class ImportOptions
{
    /// <summary>The configuration section: <c>Longhaul:Import</c>.</summary>
    public const string SectionName = "Longhaul:Import";

    /// <summary>The databases a client may load, by name. Defaults to none: every import start is then refused (422).</summary>
    public Dictionary<string, ImportTargetOptions> Targets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The longest record (CSV row, NDJSON line) in bytes; a longer one fails the import with its line number. Defaults to 1 MiB; 1 KiB to 64 MiB.</summary>
    public int MaxRecordBytes { get; set; } = 1024 * 1024;

    /// <summary>The most bytes of records in one chunk (besides the input's <c>chunk_rows</c>). Defaults to 8 MiB; 64 KiB to 256 MiB.</summary>
    public int MaxChunkBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The most rows the error report keeps (line, column, reason); later errors are counted only. Defaults to 1000.</summary>
    public int MaxReportedErrors { get; set; } = 1000;
}
