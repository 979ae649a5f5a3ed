using System.Diagnostics.Metrics;

namespace Longhaul.Export;

/// <summary>
/// The <c>export</c> capability's instruments on the meter <c>Longhaul.Export</c>: rows and bytes written to export files
/// (counted when a segment's checkpoint is saved and when the file is finished, so a resumed export counts only what its
/// new attempt writes) and downloads through the signed links, by status code. Labels are bounded: <c>format</c>,
/// <c>source</c> (a configured export source), <c>path</c> (<c>copy</c>: PostgreSQL's COPY; <c>general</c>: a data
/// reader); no tenant, table or operation id.
/// </summary>
internal sealed class ExportMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Longhaul.Export";

    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _downloads;

    /// <summary>Creates the meter through <paramref name="factory"/> when there is one (so it is scoped to the host).</summary>
    public ExportMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _rows = _meter.CreateCounter<long>("longhaul.export.rows", "{row}", "Rows written to export files and kept (checkpointed or finished), by format, source and path (copy or general).");
        _bytes = _meter.CreateCounter<long>("longhaul.export.bytes", "By", "Bytes of export files written and kept (checkpointed or finished), by format, source and path (copy or general).");
        _downloads = _meter.CreateCounter<long>("longhaul.export.downloads", "{request}", "Requests to signed download links, by the status code answered (200, 206, 304, 403, 404, 410, 416).");
    }

    /// <summary><paramref name="rows"/> rows and <paramref name="bytes"/> bytes of an export's file kept since the last count.</summary>
    public void Written(string format, string source, bool copy, long rows, long bytes)
    {
        if (rows <= 0 && bytes <= 0) return;
        KeyValuePair<string, object?> f = new("format", format), s = new("source", source), p = new("path", copy ? "copy" : "general");
        if (rows > 0) _rows.Add(rows, f, s, p);
        if (bytes > 0) _bytes.Add(bytes, f, s, p);
    }

    /// <summary>A request to a signed download link answered with <paramref name="statusCode"/>.</summary>
    public void Downloaded(int statusCode) => _downloads.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
