namespace Longhaul.Export;

/// <summary>The <c>export</c> kind's settings (<c>Longhaul:Export</c>), validated at start-up.</summary>
public sealed class ExportOptions
{
    /// <summary>The configuration section: <c>Longhaul:Export</c>.</summary>
    public const string SectionName = "Longhaul:Export";

    /// <summary>The sources by name. Defaults to none: every export start is then refused (422).</summary>
    public Dictionary<string, ExportSourceOptions> Sources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Bytes of the file (after compression) between checkpoints: about what a crash can lose and redo. Defaults to
    /// 8 MiB; 4 KiB to 1 GiB.
    /// </summary>
    public long CheckpointBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// CSV from a PostgreSQL table whose exported columns are all integers or text (key among them, filters on
    /// integers) is formatted by PostgreSQL (<c>COPY … TO STDOUT (FORMAT csv)</c>), byte for byte what the general
    /// path writes, at about the speed of <c>psql \copy</c>. Defaults to true; false always formats rows here.
    /// </summary>
    public bool PostgresCopy { get; set; } = true;

    /// <summary>How long a download link works when the start request does not say. Defaults to 1 hour.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The shortest link lifetime a request may ask for. Defaults to 1 minute.</summary>
    public TimeSpan MinLinkLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest link lifetime a request may ask for. Defaults to 7 days.</summary>
    public TimeSpan MaxLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Prefix of <c>download_url</c>, e.g. <c>https://exports.example.com</c>. Defaults to empty: the URL is a path
    /// relative to the server's address (<c>/downloads/…</c>).
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";
}
