using System.Data.Common;
using Parquet;
using Parquet.Schema;

namespace Longhaul.Export.Formats;

/// <summary>
/// Parquet via Parquet.Net: rows are buffered column by column into a row group of at most
/// <see cref="RowGroupRows"/> rows (or about <see cref="RowGroupExtraBytes"/> of text), which is then encoded
/// (Snappy) into the sink. A segment ends after a row group: the file so far lacks only its footer, which is kept in
/// the checkpoint (not in the file), so a later attempt continues with Parquet.Net's append mode after the last row group.
/// </summary>
internal sealed class ExportParquetEncoder : IExportEncoder
{
    public const int RowGroupRows = 100_000;
    private const long RowGroupExtraBytes = 64L * 1024 * 1024;
    private readonly ExportSink _sink;
    private readonly IReadOnlyList<string> _columns;
    private byte[]? _footer;
    private ParquetColumn[]? _buffers;
    private ParquetSchema? _schema;
    private ParquetFileStream? _stream;
    private ParquetWriter? _writer;
    private int _rows;

    /// <param name="sink">The file.</param>
    /// <param name="columns">The exported columns' names.</param>
    /// <param name="types">The columns' <see cref="ParquetType"/> names when continuing a file (from the checkpoint); null for a new file.</param>
    /// <param name="footer">The footer so far when continuing a file; null for a new file.</param>
    public ExportParquetEncoder(ExportSink sink, IReadOnlyList<string> columns, IReadOnlyList<string>? types, byte[]? footer)
    {
        _sink = sink;
        _columns = columns;
        _footer = footer;
        if (types is not null) Types = types;
    }

    /// <summary>The columns' Parquet types, known from the first row on (or from the checkpoint).</summary>
    public IReadOnlyList<string>? Types { get; private set; }

    public void WriteStart()
    {
        // The magic is written with the schema, which the first row decides.
    }

    public void WriteRow(DbDataReader reader)
    {
        if (_buffers is null) Prepare(reader, hasRow: true);
        for (var i = 0; i < _buffers!.Length; i++) _buffers[i].Add(reader, i);
        _rows++;
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_rows >= RowGroupRows || (_rows > 0 && _buffers!.Sum(b => b.ExtraBytes) >= RowGroupExtraBytes))
            await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> EndSegmentAsync(CancellationToken cancellationToken)
    {
        if (_writer is null) return _footer;
        await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        _stream!.Capture = true;
        await _writer.DisposeAsync().ConfigureAwait(false);
        _footer = _stream.Captured.ToArray();
        _writer = null;
        await _stream.DisposeAsync().ConfigureAwait(false);
        _stream = null;
        return _footer;
    }

    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        // No row at all: the schema comes from the column types alone, and the file is a valid Parquet file of 0 rows.
        if (_buffers is null && Types is null) Types = _columns.Select(_ => "string").ToArray();
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        await _writer!.DisposeAsync().ConfigureAwait(false);
        _writer = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null) await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private void Prepare(DbDataReader reader, bool hasRow)
    {
        Types ??= Enumerable.Range(0, _columns.Count).Select(i => ParquetType.Of(reader, i, hasRow)).ToArray();
        _buffers = _columns.Select((c, i) => ParquetColumn.Create(c, Types[i])).ToArray();
        _schema = new ParquetSchema(_buffers.Select(b => (Field)b.Field));
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null) return;
        if (_buffers is null)
        {
            _buffers = _columns.Select((c, i) => ParquetColumn.Create(c, Types![i])).ToArray();
            _schema = new ParquetSchema(_buffers.Select(b => (Field)b.Field));
        }
        _stream = new ParquetFileStream(_sink, _footer);
        _writer = await ParquetWriter.CreateAsync(_schema!, _stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy },
            append: _footer is not null, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_rows == 0) return;
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        using (var group = _writer!.CreateRowGroup())
        {
            foreach (var buffer in _buffers!) await buffer.WriteAsync(group, cancellationToken).ConfigureAwait(false);
        }
        foreach (var buffer in _buffers!) buffer.Clear();
        _rows = 0;
    }
}
