using System.Diagnostics.Metrics;

namespace Longhaul.AspNetCore.Uploads;

/// <summary>
/// The <c>import</c> capability's instruments on the meter <c>Longhaul.Import</c>: upload bytes taken in
/// (<c>/v1/uploads</c>, counted where every body is stored) and the rows and bytes imports commit to their targets
/// (counted per committed chunk, never per row). Labels are bounded: <c>format</c> (csv, ndjson), <c>target</c> (a
/// configured import target), the request method of an upload; no tenant, table or upload id.
/// </summary>
internal sealed class ImportMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Longhaul.Import";

    private readonly Meter _meter;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _uploadBytes;
    private readonly Counter<long> _uploadsCompleted;

    /// <summary>Creates the meter through <paramref name="factory"/> when there is one (so it is scoped to the host).</summary>
    public ImportMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _rows = _meter.CreateCounter<long>("longhaul.import.rows", "{row}",
            "Rows of imports committed to their targets (outcome loaded) or left out as bad rows with on_error skip (outcome rejected), by format, target and outcome.");
        _bytes = _meter.CreateCounter<long>("longhaul.import.bytes", "By",
            "Bytes of uploads read by imports whose chunks were committed, by format and target.");
        _uploadBytes = _meter.CreateCounter<long>("longhaul.uploads.received", "By",
            "Upload bytes stored (tus PATCH, tus creation with data, PUT), by request method.");
        _uploadsCompleted = _meter.CreateCounter<long>("longhaul.uploads.completed", "{upload}",
            "Uploads whose last byte was stored (complete, ready to import).");
    }

    /// <summary>
    /// One or more committed chunks of an import: <paramref name="loaded"/> rows in the target, <paramref name="rejected"/>
    /// bad rows skipped, <paramref name="bytes"/> of the upload they covered.
    /// </summary>
    public void Committed(string format, string target, long loaded, long rejected, long bytes)
    {
        KeyValuePair<string, object?> f = new("format", format), t = new("target", target);
        if (loaded > 0) _rows.Add(loaded, f, t, new("outcome", "loaded"));
        if (rejected > 0) _rows.Add(rejected, f, t, new("outcome", "rejected"));
        if (bytes > 0) _bytes.Add(bytes, f, t);
    }

    /// <summary><paramref name="bytes"/> of an upload stored by a request of <paramref name="method"/>; <paramref name="completed"/> when they were its last.</summary>
    public void Received(string method, long bytes, bool completed)
    {
        if (bytes > 0) _uploadBytes.Add(bytes, new KeyValuePair<string, object?>("http.request.method", method));
        if (completed) _uploadsCompleted.Add(1);
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();
}
