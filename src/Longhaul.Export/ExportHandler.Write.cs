using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Longhaul.Export.Formats;

namespace Longhaul.Export;

public sealed partial class ExportHandler
{
    /// <summary>
    /// Streams the rows after <paramref name="checkpoint"/> into <paramref name="file"/>, saving a checkpoint whenever a
    /// segment's bytes are stored; returns the finished file's checkpoint.
    /// </summary>
    private async Task<ExportCheckpoint> WriteAsync(DbCommand select, ExportCopyPlan? copy, ExportInput input, IReadOnlyList<string> columns, int keyColumns,
        OperationFileWriter file, ExportCheckpoint checkpoint, OperationContext context, CancellationToken cancellationToken)
    {
        var resumed = checkpoint.Bytes > 0;
        // A new file is hashed as it is written; a resumed one is read back at the end (its first bytes are not here).
        using var hash = resumed ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var sink = new ExportSink(file, hash, cancellationToken);
        var parquet = input.Format == "parquet" ? new ExportParquetEncoder(sink, columns, checkpoint.ParquetTypes, checkpoint.ParquetFooter) : null;
        await using IExportEncoder encoder = parquet ?? (IExportEncoder)new ExportTextEncoder(sink, input.Format, input.Gzip, input.EscapeFormulas, columns);
        if (!resumed) encoder.WriteStart();

        var segmentBytes = _catalog.Options.CheckpointBytes;
        var segmentStart = sink.Position;
        var rows = checkpoint.Rows;
        // What the metrics have counted up to: rows and bytes count once kept (a checkpoint saved, or the file finished),
        // so a resumed attempt counts only what it writes after the checkpoint it resumes from.
        var counted = checkpoint;
        void Count(ExportCheckpoint kept)
        {
            _metrics?.Written(input.Format, input.Source, copy is not null, kept.Rows - counted.Rows, kept.Bytes - counted.Bytes);
            counted = kept;
        }
        // Segments ended whose bytes may not all be stored yet, oldest first.
        var pending = new Queue<ExportCheckpoint>();
        // After every RowsBetweenFlushes rows (at a row's end): save the newest stored checkpoint, end a segment when due.
        async Task StepAsync(Func<JsonElement[]> lastKey)
        {
            await encoder.FlushAsync(cancellationToken).ConfigureAwait(false);
            await sink.DrainAsync(force: false, cancellationToken).ConfigureAwait(false);
            ExportCheckpoint? stored = null;
            while (pending.TryPeek(out var next) && sink.StoredLength >= next.Bytes) stored = pending.Dequeue();
            if (stored is not null)
            {
                // The segment's bytes are stored: a crash from here on keeps them.
                checkpoint = stored;
                await context.SaveCheckpointAsync(checkpoint, cancellationToken: cancellationToken).ConfigureAwait(false);
                Count(checkpoint);
            }
            // Segment ends depend only on the bytes since the checkpoint, so a resumed attempt ends the same segments.
            if (sink.Position - segmentStart < segmentBytes) return;
            var footer = await encoder.EndSegmentAsync(cancellationToken).ConfigureAwait(false);
            segmentStart = sink.Position;
            pending.Enqueue(checkpoint with
            {
                Bytes = sink.Position, After = lastKey(), Rows = rows,
                ParquetTypes = parquet?.Types, ParquetFooter = footer,
            });
            // Progress (and so the engine's ETA) moves at every segment's end, before its bytes fill a stored chunk:
            // after a crash it goes back to the last stored checkpoint.
            await context.ReportProgressAsync(Progress(rows, checkpoint.Total), cancellationToken).ConfigureAwait(false);
        }

        if (copy is not null)
        {
            var text = (StreamReader)await ((Npgsql.NpgsqlConnection)select.Connection!).BeginTextExportAsync(copy.Sql, cancellationToken).ConfigureAwait(false);
            using (text)
            // Cancellation stops the COPY once, instead of a registration for each of a million small reads.
            using (cancellationToken.Register(static t => ((Npgsql.NpgsqlCopyTextReader)t!).Cancel(), text))
            {
                // The raw bytes under the reader: PostgreSQL's CSV as sent (one message per row), never decoded here.
                var raw = text.BaseStream;
                var buffer = new byte[256 * 1024];
                // The finished rows, handed to the encoder every RowsBetweenFlushes rows.
                var output = new byte[buffer.Length + copy.MaxGrowth * RowsBetweenFlushes];
                var (length, filled) = (0, 0);
                var encoderText = (ExportTextEncoder)encoder;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                        Array.Resize(ref output, buffer.Length + copy.MaxGrowth * RowsBetweenFlushes);
                    }
                    var read = await raw.ReadAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (read == 0) break;
                    // From the front: an unfinished row kept from the last read is scanned again with its quotes.
                    var scan = 0;
                    length += read;
                    var (rowStart, quoted) = (0, false);
                    while (scan < length)
                    {
                        var at = buffer.AsSpan(scan, length - scan).IndexOfAny((byte)'"', (byte)'\n');
                        if (at < 0) break;
                        var i = scan + at;
                        scan = i + 1;
                        if (buffer[i] == (byte)'"') quoted = !quoted;
                        if (quoted || buffer[i] != (byte)'\n') continue;
                        // A row ends: finished as the general path writes it, with RFC 4180's CRLF for COPY's LF.
                        if (filled + (i - rowStart) + copy.MaxGrowth > output.Length)
                        {
                            encoderText.WriteRaw(output.AsSpan(0, filled));
                            filled = 0;
                        }
                        filled += ExportPostgresCopy.WriteRow(buffer.AsSpan(rowStart, i - rowStart), output.AsSpan(filled), copy);
                        var (start, end) = (rowStart, i);
                        rowStart = scan;
                        if (++rows % RowsBetweenFlushes != 0) continue;
                        encoderText.WriteRaw(output.AsSpan(0, filled));
                        filled = 0;
                        await StepAsync(() => ExportPostgresCopy.KeyOf(buffer.AsSpan(start, end - start), copy.KeyFields)).ConfigureAwait(false);
                    }
                    // The unfinished row moves to the front; it is scanned again from its start.
                    if (rowStart > 0) buffer.AsSpan(rowStart, length - rowStart).CopyTo(buffer);
                    length -= rowStart;
                }
                encoderText.WriteRaw(output.AsSpan(0, filled));
                if (length > 0) throw new InvalidOperationException("PostgreSQL's COPY output ended inside a row.");
            }
        }
        else
        {
            await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                encoder.WriteRow(reader);
                if (++rows % RowsBetweenFlushes == 0) await StepAsync(() => KeyOf(reader, columns.Count, keyColumns)).ConfigureAwait(false);
            }
        }
        await encoder.FinishAsync(cancellationToken).ConfigureAwait(false);
        await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await file.FinishAsync(cancellationToken).ConfigureAwait(false);
        var sha256 = hash is not null ? Convert.ToHexStringLower(hash.GetHashAndReset()) : await HashStoredAsync(context, file.Name, cancellationToken).ConfigureAwait(false);
        var done = new ExportCheckpoint { Done = true, Bytes = file.Length, Rows = rows, Total = rows, Sha256 = sha256 };
        // The total is exact now; a crash after this only issues the link again.
        await context.SaveCheckpointAsync(done, Progress(rows, rows), cancellationToken).ConfigureAwait(false);
        Count(done);
        return done;
    }

    private static JsonElement[] KeyOf(DbDataReader reader, int first, int count)
    {
        var key = new JsonElement[count];
        for (var i = 0; i < count; i++) key[i] = JsonSerializer.SerializeToElement(reader.GetValue(first + i));
        return key;
    }
}
