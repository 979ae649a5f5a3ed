using System.ComponentModel;
using System.Security.Cryptography;
using Longhaul.Contracts;
using Longhaul.Export.Formats;
using Longhaul.Storage;

namespace Longhaul.Export;

/// <summary>
/// The built-in kind <c>export</c>: streams an allowed table or named query of a configured source, ordered by its key,
/// straight into one operation file. Every <see cref="ExportOptions.CheckpointBytes"/> the encoder ends a segment (a
/// row, gzip member or Parquet row group boundary) and, once those bytes are stored, a checkpoint records their length
/// and the last key, so a crashed attempt keeps them (<see cref="OperationContext.ResumeFileAsync"/>) and continues
/// after that key; the finished file gets a signed download link.
/// </summary>
[Description("Exports an allowed table or named query of a configured source to CSV, NDJSON or Parquet behind an expiring download link.")]
public sealed partial class ExportHandler : OperationHandler<ExportInput, ExportResult>, IOperationHandler
{
    /// <summary>The kind's name: <c>export</c>.</summary>
    public const string KindName = "export";

    private const int RowsBetweenFlushes = 256;
    private readonly ExportCatalog _catalog;
    private readonly IOperationStore _store;
    private readonly DownloadLinks _links;
    private readonly TimeProvider _time;
    private readonly ExportMetrics? _metrics;

    internal ExportHandler(ExportCatalog catalog, IOperationStore store, DownloadLinks links, TimeProvider time, ExportMetrics? metrics = null)
    {
        _metrics = metrics;
        _catalog = catalog;
        _store = store;
        _links = links;
        _time = time;
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    protected override async Task<ExportResult> ExecuteAsync(ExportInput input, OperationContext context, CancellationToken cancellationToken)
    {
        var source = _catalog.Source(input.Source) ?? throw new PermanentFailureException("export_source_removed", $"Export source '{input.Source}' is no longer configured.");
        if (input.Table is { } table ? !source.Tables.ContainsKey(table) : !source.Queries.ContainsKey(input.Query!))
            throw new PermanentFailureException("export_table_removed", $"'{input.Table ?? input.Query}' is no longer allowed.");
        var relation = _catalog.Relation(input);
        var columns = input.Columns ?? _catalog.Columns(input);
        var (name, contentType) = FileOf(input);
        var checkpoint = context.GetCheckpoint<ExportCheckpoint>() ?? new ExportCheckpoint();
        // A checkpoint of the first slice (parts, no hash) is not continued: the file is written again.
        if (checkpoint.Done && checkpoint.Sha256 is null) checkpoint = new ExportCheckpoint();
        if (checkpoint.Done) return await LinkAsync(input, context, name, contentType, checkpoint, cancellationToken).ConfigureAwait(false);
        // Restart: the file is written again from its first byte (one snapshot for the whole file).
        if (input.Resume == "restart") checkpoint = new ExportCheckpoint { Total = checkpoint.Total };

        await using var connection = ExportSql.Connect(source);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction per attempt: every row of the attempt comes from one snapshot (SQLite; a single
        // PostgreSQL statement is one snapshot by itself).
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.CreateCommand();
        select.Transaction = transaction;

        OperationFileWriter? file = null;
        if (checkpoint.Bytes > 0) file = await context.ResumeFileAsync(name, contentType, checkpoint.Bytes, cancellationToken).ConfigureAwait(false);
        // Nothing stored yet, or the stored bytes are gone: from the first row.
        if (file is null) checkpoint = new ExportCheckpoint { Total = checkpoint.Total };
        file ??= context.CreateFile(name, contentType);

        ExportSql.Select(select, relation, columns, input.Filter ?? [], null);
        if (checkpoint.Total is null)
        {
            var (estimate, _) = await ExportSql.EstimateAsync(select, cancellationToken).ConfigureAwait(false);
            checkpoint = checkpoint with { Total = estimate };
            await context.ReportProgressAsync(Progress(checkpoint.Rows, estimate), cancellationToken).ConfigureAwait(false);
        }
        select.Parameters.Clear();
        ExportSql.Select(select, relation, columns, input.Filter ?? [], checkpoint.After);

        var copy = _catalog.Options.PostgresCopy
            ? await ExportPostgresCopy.PlanAsync(connection, transaction, input, relation, columns, checkpoint.After, cancellationToken).ConfigureAwait(false)
            : null;
        var written = await WriteAsync(select, copy, input, columns, relation.Key.Count, file, checkpoint, context, cancellationToken).ConfigureAwait(false);
        return await LinkAsync(input, context, name, contentType, written, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ExportResult> LinkAsync(ExportInput input, OperationContext context, string name, string contentType, ExportCheckpoint done, CancellationToken cancellationToken)
    {
        var lifetime = input.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : _catalog.Options.LinkLifetime;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        var url = await _links.CreateAsync(context.Tenant, context.OperationId, name, expiresAt, cancellationToken).ConfigureAwait(false);
        return new ExportResult(_catalog.Options.PublicBaseUrl.TrimEnd('/') + url, expiresAt, done.Rows, done.Bytes, done.Sha256!, input.Format, contentType);
    }

    /// <summary>The SHA-256 of a finished file read back from the store: only for a file an earlier attempt began.</summary>
    private async Task<string> HashStoredAsync(OperationContext context, string name, CancellationToken cancellationToken)
    {
        var stored = await _store.GetFileAsync(new GetFileParams(context.Tenant, context.OperationId, name), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Export {context.OperationId} lost its file.");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var chunk = 0; chunk < stored.Chunks; chunk++)
        {
            hash.AppendData(await _store.ReadFileChunkAsync(new ReadFileChunkParams(stored, chunk), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Export {context.OperationId} lost chunk {chunk} of its file."));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static ProgressInfo Progress(long rows, long? total) => new() { Current = rows, Total = Math.Max(total ?? 0, rows), Unit = "rows" };

    private static (string Name, string ContentType) FileOf(ExportInput input) => (input.Format, input.Gzip) switch
    {
        ("parquet", _) => ("export.parquet", "application/vnd.apache.parquet"),
        ("csv", false) => ("export.csv", "text/csv; charset=utf-8; header=present"),
        ("csv", true) => ("export.csv.gz", "application/gzip"),
        (_, false) => ("export.ndjson", "application/x-ndjson"),
        _ => ("export.ndjson.gz", "application/gzip"),
    };
}
