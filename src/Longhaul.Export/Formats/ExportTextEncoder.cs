using System.Data.Common;
using System.IO.Compression;

namespace Longhaul.Export.Formats;

/// <summary>
/// CSV or NDJSON, optionally gzip. A segment of a gzip export is one complete gzip member; members in a row are one
/// valid gzip file (RFC 1952 §2.2), so a resumed file continues with a new member.
/// </summary>
internal sealed class ExportTextEncoder(ExportSink sink, string format, bool gzip, bool escapeFormulas, IReadOnlyList<string> columns) : IExportEncoder
{
    private GZipStream? _gzip;
    private ExportRowWriter? _rows;

    private ExportRowWriter Rows
    {
        get
        {
            if (_rows is not null) return _rows;
            _gzip = gzip ? new GZipStream(sink, CompressionLevel.Fastest, leaveOpen: true) : null;
            return _rows = new ExportRowWriter(_gzip ?? (Stream)sink, format, escapeFormulas, columns);
        }
    }

    /// <summary>Appends bytes already in the format (PostgreSQL's COPY output): after whatever rows are buffered.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        var rows = Rows;
        rows.Flush();
        if (_gzip is not null) _gzip.Write(bytes);
        else sink.Write(bytes);
    }

    public void WriteStart() => Rows.WriteHeader();

    public void WriteRow(DbDataReader reader) => Rows.WriteRow(reader);

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        _rows?.Flush();
        return Task.CompletedTask;
    }

    public async Task<byte[]?> EndSegmentAsync(CancellationToken cancellationToken)
    {
        if (_rows is null) return null;
        _rows.Dispose();
        _rows = null;
        if (_gzip is not null) await _gzip.DisposeAsync().ConfigureAwait(false);
        _gzip = null;
        return null;
    }

    public Task FinishAsync(CancellationToken cancellationToken)
    {
        // A gzip file with no rows at all is still one (empty) member.
        if (gzip && sink.Position == 0) _ = Rows;
        return EndSegmentAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _rows?.Dispose();
        if (_gzip is not null) await _gzip.DisposeAsync().ConfigureAwait(false);
    }
}
