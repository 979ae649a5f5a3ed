using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Longhaul.AspNetCore.Uploads;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Import;

/// <summary>
/// The built-in kind <c>import</c>: reads a finished upload as a stream, in chunks of rows; each chunk commits its rows,
/// its errors and the import's position (byte offset, line, rows) in one transaction of the target database, so a crash
/// anywhere resumes after the last committed chunk with no row twice and none missing.
/// </summary>
[Description("Loads a CSV or NDJSON upload into an allowed table of a configured database, exactly once.")]
public sealed partial class ImportHandler : OperationHandler<ImportInput, ImportResult>, IOperationHandler
{
    /// <summary>The kind's name: <c>import</c>.</summary>
    public const string KindName = "import";

    /// <summary>The operation file of skipped rows (CSV: line, column, reason).</summary>
    public const string ErrorReportName = "errors.csv";

    /// <summary>Converted cells (24 bytes each) held per chunk: 6 MiB (e.g. 65,536 rows of 4 columns).</summary>
    private const int CellsPerChunk = 256 * 1024;

    /// <summary>
    /// The bytes of records read and converted at a time, by the load and by the check: a read buffer is this plus
    /// <c>MaxRecordBytes</c> (2 MiB by default), however large a chunk (ADR 32).
    /// </summary>
    private static int ReadPieceBytes(ImportOptions options) => Math.Min(options.MaxChunkBytes, 1024 * 1024);

    private readonly ImportCatalog _catalog;
    private readonly IOperationStore _store;
    private readonly ImportMetrics? _metrics;

    internal ImportHandler(ImportCatalog catalog, IOperationStore store, ImportMetrics? metrics = null)
    {
        _catalog = catalog;
        _store = store;
        _metrics = metrics;
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    protected override async Task<ImportResult> ExecuteAsync(ImportInput input, OperationContext context, CancellationToken cancellationToken)
    {
        var target = _catalog.Target(input.Target) ?? throw new PermanentFailureException("import_target_removed", $"Import target '{input.Target}' is no longer configured.");
        if (!target.Tables.Contains(input.Table, StringComparer.Ordinal)) throw new PermanentFailureException("import_table_removed", $"Table '{input.Table}' is no longer allowed.");
        var upload = await _store.GetUploadAsync(new GetUploadParams(context.Tenant, input.Upload), cancellationToken).ConfigureAwait(false);
        if (upload is null || upload.Expired) throw new PermanentFailureException("upload_not_found", $"No upload '{input.Upload}' exists for this tenant (or it expired).");
        if (!upload.IsComplete) throw new PermanentFailureException("upload_incomplete", $"Upload '{input.Upload}' has {upload.Offset} of its {upload.Length} bytes; finish it first.");
        try
        {
            return await ImportAsync(input, target, upload, context, cancellationToken).ConfigureAwait(false);
        }
        catch (ImportFileException e)
        {
            throw new PermanentFailureException(e.Code, e.Message, Details(e.Line, null, null));
        }
    }

    private async Task<ImportResult> ImportAsync(ImportInput input, ImportTargetOptions target, UploadRecord upload, OperationContext context, CancellationToken cancellationToken)
    {
        var options = _catalog.Options;
        var start = await DataStartAsync(upload, cancellationToken).ConfigureAwait(false);
        if (start >= upload.Length) throw new ImportFileException("empty_file", 1, "the file is empty.");
        var (plan, first, firstLine) = await PlanAsync(input, upload, start, cancellationToken).ConfigureAwait(false);
        // Memory per chunk is bounded by cells, whatever chunk_rows asks: two batches of at most CellsPerChunk cells.
        var rows = Math.Max(1, Math.Min(input.ChunkRows, CellsPerChunk / Math.Max(plan.Columns.Count, 1)));
        using var batch = new ImportBatch(rows, plan.Columns);
        using var chunk = new ScannedChunk(rows);

        var checkpoint = context.GetCheckpoint<ImportCheckpoint>() ?? new ImportCheckpoint();
        await using var db = await _catalog.OpenAsync(target, input.Table, plan.Columns, input.AllOrNothing, cancellationToken).ConfigureAwait(false);
        var state = await db.BeginAsync(context.OperationId, new ImportState(first, firstLine, 0, 0, 0, false), cancellationToken).ConfigureAwait(false);
        if (!state.Done)
        {
            // on_error fail, nothing loaded yet: the check pass runs beside the load, whose chunks wait in one held
            // transaction until the check has passed the whole file (ADR 30). After a crash before that commit nothing
            // is loaded and the check runs again; after it, the check is not needed (the state moved past the start).
            var overlap = input.OnError == "fail" && !checkpoint.Checked && state.Offset == first;
            using var stopCheck = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var check = overlap ? Task.Run(() => CheckAsync(upload, plan, first, firstLine, rows, stopCheck.Token), CancellationToken.None) : null;
            try
            {
                state = await LoadAsync(input, upload, plan, state, chunk, batch, db, check, context, cancellationToken).ConfigureAwait(false);
                // The bytes before the first record (BOM, header) once the import is done; an all-or-nothing import's
                // rows count only now that they are in the table (those staged by earlier attempts included).
                if (input.AllOrNothing) _metrics?.Committed(input.Format, input.Target, state.Inserted, state.Skipped, state.Offset);
                else _metrics?.Committed(input.Format, input.Target, 0, 0, first);
            }
            finally
            {
                if (check is not null) await StopAsync(check, stopCheck).ConfigureAwait(false);
            }
        }
        return await ResultAsync(input, upload, state, db, context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImportState> LoadAsync(ImportInput input, UploadRecord upload, ImportPlan plan, ImportState state, ScannedChunk chunk, ImportBatch batch,
        IImportTarget db, Task? check, OperationContext context, CancellationToken cancellationToken)
    {
        var options = _catalog.Options;
        await using var stream = new UploadStream(_store, upload.Id, upload.Length, state.Offset);
        // The read buffer holds a piece of a chunk (ReadPieceBytes), not the whole chunk: the batches keep what was read.
        using var scanner = new RecordScanner(stream, state.Offset, state.Line, plan.Csv && plan.Quotes ? (byte)'"' : (byte)0, options.MaxRecordBytes, ReadPieceBytes(options));
        // Two batches: the next chunk is read and converted while the current one is written (the database and this
        // process work at the same time), as psql's \copy overlaps its reading with the server's parsing.
        using var second = new ImportBatch(batch.Capacity, plan.Columns);
        await using var chunks = ChunkReadAhead.Over(scanner, chunk, plan, batch, second, options.MaxChunkBytes, cancellationToken);
        // While the check runs, the chunks are written into one held transaction.
        var held = check is not null;
        // What the metrics have counted up to: chunks count once committed for good (not while held, nor while staged).
        var counted = state;
        if (held) await db.HoldAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            while (await chunks.NextAsync().ConfigureAwait(false) is { } current)
            {
                var skipped = state.Skipped + current.Errors.Count;
                if (current.Errors.Count > 0 && (input.OnError == "fail" || skipped > input.MaxErrors))
                {
                    // The check meets the same first bad row (or an earlier bad record) and says nothing was imported.
                    if (held) await check!.ConfigureAwait(false);
                    var e = current.Errors[0];
                    throw new PermanentFailureException(input.OnError == "fail" ? "invalid_row" : "too_many_errors",
                        input.OnError == "fail" ? $"Line {e.Line}{(e.Column is null ? "" : $", column {e.Column}")}: {e.Reason}." : $"More than {input.MaxErrors} bad rows (max_errors); line {e.Line}: {e.Reason}.",
                        Details(e.Line, e.Column, e.Reason));
                }
                var reported = current.Errors.Take((int)Math.Max(0, options.MaxReportedErrors - state.Reported)).ToList();
                var after = new ImportState(current.EndOffset, current.EndLine, state.Inserted + current.Rows, skipped, state.Reported + reported.Count, false);
                // The chunk's transaction runs to its end even when a cancel arrives meanwhile: a cancel stops after it.
                if (!await db.CommitAsync(context.OperationId, state, after, current, reported, CancellationToken.None).ConfigureAwait(false)) throw new LeaseLostException();
                state = after;
                if (!held) counted = Count(input, counted, state);
                // Done with it before the next NextAsync, which reads the chunk after next into it.
                current.Clear();
                if (held && check!.IsCompleted)
                {
                    held = await ReleaseAsync(check, db).ConfigureAwait(false);
                    counted = Count(input, counted, state);
                }
                await context.ReportProgressAsync(Progress(state, upload), CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (held)
            {
                held = await ReleaseAsync(check!, db).ConfigureAwait(false);
                counted = Count(input, counted, state);
            }
            // With all_or_nothing this also adds the staged rows to the table, in the same transaction.
            if (!await db.FinishAsync(context.OperationId, state, CancellationToken.None).ConfigureAwait(false)) throw new LeaseLostException();
        }
        catch (Exception e)
        {
            // A bad file, a cancel or a failure while held: none of the held chunks stays.
            if (held) await db.ReleaseAsync(commit: false, CancellationToken.None).ConfigureAwait(false);
            if (input.AllOrNothing && Abandons(e, context)) await db.AbandonAsync(context.OperationId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return state with { Done = true };
    }

    /// <summary>
    /// Counts the chunks committed since <paramref name="from"/> on the meter <c>Longhaul.Import</c> (an all-or-nothing
    /// import's when it finishes instead: its chunks are staged until then); returns <paramref name="to"/>.
    /// </summary>
    private ImportState Count(ImportInput input, ImportState from, ImportState to)
    {
        if (!input.AllOrNothing) _metrics?.Committed(input.Format, input.Target, to.Inserted - from.Inserted, to.Skipped - from.Skipped, to.Offset - from.Offset);
        return to;
    }

    /// <summary>
    /// An all-or-nothing import drops its staging table when it ends for good here: a bad file, a cancel, a deadline, or
    /// any error of the last attempt, or the event limit (the store failed the operation). Not when this node stops or lost
    /// the lease: another attempt goes on with it.
    /// </summary>
    private static bool Abandons(Exception e, OperationContext context)
        => context.StopReason is OperationStopReason.EventLimitExceeded
            || (e is not LeaseLostException
            && context.StopReason is OperationStopReason.None or OperationStopReason.Cancelled or OperationStopReason.DeadlineExceeded
            && (e is OperationCanceledException or PermanentFailureException or ImportFileException || context.Attempt >= context.MaxAttempts));

    private async Task<ImportResult> ResultAsync(ImportInput input, UploadRecord upload, ImportState state, IImportTarget db, OperationContext context, CancellationToken cancellationToken)
    {
        string? url = null;
        if (state.Reported > 0)
        {
            var errors = await db.ErrorsAsync(context.OperationId, cancellationToken).ConfigureAwait(false);
            var file = context.CreateFile(ErrorReportName, "text/csv; charset=utf-8; header=present");
            var text = new System.Text.StringBuilder("line,column,reason\r\n");
            foreach (var e in errors) text.Append(CultureInfo.InvariantCulture, $"{e.Line},{Csv(e.Column ?? "")},{Csv(e.Reason)}\r\n");
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
            await file.FinishAsync(cancellationToken).ConfigureAwait(false);
            url = file.Url;
        }
        await context.ReportProgressAsync(Progress(state, upload), cancellationToken).ConfigureAwait(false);
        return new ImportResult(state.Inserted, state.Skipped, upload.Length, input.Table, url, state.Reported);
    }

    private static ProgressInfo Progress(ImportState state, UploadRecord upload) => new()
    {
        Current = state.Offset,
        Total = upload.Length,
        Unit = "bytes",
        Message = string.Create(CultureInfo.InvariantCulture, $"{state.Inserted} rows imported, {state.Skipped} skipped"),
    };

    private static string Csv(string value) => value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static JsonElement Details(long line, string? column, string? reason)
        => JsonSerializer.SerializeToElement(new Dictionary<string, object?> { ["line"] = line, ["column"] = column, ["reason"] = reason }, LonghaulJsonDefaults.Options);
}
