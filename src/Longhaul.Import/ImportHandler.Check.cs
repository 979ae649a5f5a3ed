using Longhaul.Storage;

namespace Longhaul.Import;

public sealed partial class ImportHandler
{

    /// <summary>
    /// <c>on_error: fail</c>: every row is read and converted, nothing kept, so that a bad row anywhere loads nothing.
    /// Runs beside the load (its own scanner, chunk and batch); the load holds its chunks uncommitted until this passed.
    /// </summary>
    private async Task CheckAsync(UploadRecord upload, ImportPlan plan, long first, long firstLine, int rows, CancellationToken cancellationToken)
    {
        var options = _catalog.Options;
        using var chunk = new ScannedChunk(rows);
        // One row: the check converts every row into the same cells and keeps nothing.
        using var batch = new ImportBatch(1, plan.Columns);
        await using var stream = new UploadStream(_store, upload.Id, upload.Length, first);
        using var scanner = new RecordScanner(stream, first, firstLine, plan.Csv && plan.Quotes ? (byte)'"' : (byte)0, options.MaxRecordBytes, ReadPieceBytes(options));
        while (await scanner.NextAsync(chunk, rows, cancellationToken).ConfigureAwait(false))
        {
            batch.Clear();
            RowParser.Parse(chunk, plan, batch, checkOnly: true);
            if (batch.Errors.Count == 0) continue;
            var e = batch.Errors[0];
            throw new PermanentFailureException("invalid_row", $"Line {e.Line}{(e.Column is null ? "" : $", column {e.Column}")}: {e.Reason}. Nothing was imported.", Details(e.Line, e.Column, e.Reason));
        }
    }

    /// <summary>The check has ended: rethrows its failure (the caller rolls the held transaction back), else commits the held chunks. Returns false: nothing is held any more.</summary>
    private static async Task<bool> ReleaseAsync(Task check, IImportTarget db)
    {
        await check.ConfigureAwait(false);
        await db.ReleaseAsync(commit: true, CancellationToken.None).ConfigureAwait(false);
        return false;
    }

    /// <summary>Stops a check still running (the load failed or was cancelled) and waits for it; its own failure is the load's to report, or moot.</summary>
    private static async Task StopAsync(Task check, CancellationTokenSource stop)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await check.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Either already thrown by the load (a bad row), or the check was stopped because the load ended first.
        }
    }
}
