using System.Data.Common;

namespace Longhaul.Export.Formats;

/// <summary>
/// Turns rows into one format's bytes on an <see cref="ExportSink"/>. The file is written in segments: at the end of
/// each (<see cref="EndSegmentAsync"/>) every row so far is in the sink and the bytes end where a later attempt can
/// continue (a CSV row, a gzip member, a Parquet row group), which is what a checkpoint records.
/// </summary>
internal interface IExportEncoder : IAsyncDisposable
{
    /// <summary>Writes the format's start (a CSV header, Parquet's magic); only at the start of the file.</summary>
    void WriteStart();

    /// <summary>Encodes the reader's current row (buffered).</summary>
    void WriteRow(DbDataReader reader);

    /// <summary>Pushes what is buffered and complete to the sink (a Parquet row group only when full).</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Ends the segment; returns what a later attempt needs to continue (Parquet: the footer so far), or null.</summary>
    Task<byte[]?> EndSegmentAsync(CancellationToken cancellationToken);

    /// <summary>Writes the rest and the format's end (a Parquet footer).</summary>
    Task FinishAsync(CancellationToken cancellationToken);
}
