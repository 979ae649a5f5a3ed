using System.ComponentModel;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;

namespace Longhaul.Export;

/// <summary>
/// The built-in kind <c>export</c>: streams an allowed table of a configured source, ordered by its key, into parts
/// (operation files) of about <see cref="ExportOptions.PartBytes"/>, saving a checkpoint (the last key, rows and bytes)
/// after each part so a crashed attempt resumes after the last stored part; then joins the parts into one file and
/// returns a signed download link to it.
/// </summary>
[Description("Exports an allowed table of a configured source to CSV or NDJSON behind an expiring download link.")]
public sealed partial class ExportHandler : OperationHandler<ExportInput, ExportResult>, IOperationHandler
{
    /// <summary>The kind's name: <c>export</c>.</summary>
    public const string KindName = "export";

    private const int RowsBetweenDrains = 256;
    private readonly ExportCatalog _catalog;
    private readonly IOperationStore _store;
    private readonly DownloadLinks _links;
    private readonly TimeProvider _time;

    internal ExportHandler(ExportCatalog catalog, IOperationStore store, DownloadLinks links, TimeProvider time)
    {
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
        var key = source.Tables.TryGetValue(input.Table, out var table) ? table.Key : throw new PermanentFailureException("export_table_removed", $"Table '{input.Table}' is no longer allowed.");
        var columns = input.Columns ?? _catalog.Columns(input.Source, input.Table);
        var filters = input.Filter ?? [];
        var checkpoint = context.GetCheckpoint<ExportCheckpoint>() ?? new ExportCheckpoint();
        // Restart: the parts are written again from part 0; the old count is kept so that the join empties them all.
        if (input.Resume == "restart" && checkpoint.Parts > 0) checkpoint = new ExportCheckpoint { StaleParts = Math.Max(checkpoint.Parts, checkpoint.StaleParts) };

        if (!checkpoint.Done)
        {
            await using var connection = ExportSql.Connect(source);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // One read transaction per attempt: every row of the attempt comes from one snapshot (SQLite; a single
            // PostgreSQL statement is one snapshot by itself).
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (checkpoint.Total is null)
            {
                await using var count = connection.CreateCommand();
                count.Transaction = transaction;
                ExportSql.Count(count, input.Table, key, filters, null);
                checkpoint = checkpoint with { Total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) };
            }
            await using var select = connection.CreateCommand();
            select.Transaction = transaction;
            ExportSql.Select(select, input.Table, columns, key, filters, checkpoint.After);
            await using var reader = await select.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            checkpoint = await WritePartsAsync(reader, input, columns, key.Count, checkpoint, context, cancellationToken).ConfigureAwait(false);
        }
        return await JoinAsync(input, checkpoint, context, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ExportCheckpoint> WritePartsAsync(DbDataReader reader, ExportInput input, IReadOnlyList<string> columns, int keyColumns,
        ExportCheckpoint checkpoint, OperationContext context, CancellationToken cancellationToken)
    {
        var partBytes = _catalog.Options.PartBytes;
        ExportPart? part = null;
        long rows = 0;
        try
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                part ??= StartPart(input, columns, checkpoint, context);
                part.Rows.WriteRow(reader);
                if (++rows % RowsBetweenDrains != 0) continue;
                await part.DrainAsync(cancellationToken).ConfigureAwait(false);
                if (part.Length < partBytes) continue;
                checkpoint = await EndPartAsync(part, rows, KeyOf(reader, columns.Count, keyColumns), checkpoint, context, cancellationToken).ConfigureAwait(false);
                part = null;
                rows = 0;
            }
            // An export with no rows still has its part 0 (the CSV header); a resumed one with no rows left has nothing to add.
            if (part is null && checkpoint.Parts == 0) part = StartPart(input, columns, checkpoint, context);
            if (part is not null)
                return await EndPartAsync(part, rows, checkpoint.After, checkpoint with { Done = true }, context, cancellationToken).ConfigureAwait(false);
            checkpoint = checkpoint with { Done = true };
            await context.SaveCheckpointAsync(checkpoint, cancellationToken: cancellationToken).ConfigureAwait(false);
            return checkpoint;
        }
        finally
        {
            if (part is not null) await part.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ExportPart StartPart(ExportInput input, IReadOnlyList<string> columns, ExportCheckpoint checkpoint, OperationContext context)
    {
        var part = new ExportPart(context.CreateFile(PartName(checkpoint.Parts), "application/octet-stream"), input, columns);
        if (checkpoint.Parts == 0) part.Rows.WriteHeader();
        return part;
    }

    private static async Task<ExportCheckpoint> EndPartAsync(ExportPart part, long rows, IReadOnlyList<JsonElement>? after,
        ExportCheckpoint checkpoint, OperationContext context, CancellationToken cancellationToken)
    {
        var bytes = await part.FinishAsync(cancellationToken).ConfigureAwait(false);
        await part.DisposeAsync().ConfigureAwait(false);
        checkpoint = checkpoint with { Parts = checkpoint.Parts + 1, After = after, Rows = checkpoint.Rows + rows, Bytes = checkpoint.Bytes + bytes };
        var progress = new ProgressInfo { Current = checkpoint.Rows, Total = Math.Max(checkpoint.Total ?? 0, checkpoint.Rows), Unit = "rows" };
        await context.SaveCheckpointAsync(checkpoint, progress, cancellationToken).ConfigureAwait(false);
        return checkpoint;
    }

    private static JsonElement[] KeyOf(DbDataReader reader, int first, int count)
    {
        var key = new JsonElement[count];
        for (var i = 0; i < count; i++) key[i] = JsonSerializer.SerializeToElement(reader.GetValue(first + i));
        return key;
    }

    /// <summary>Copies the parts, in order, into the one file the link serves (hashing it), then empties the parts.</summary>
    private async Task<ExportResult> JoinAsync(ExportInput input, ExportCheckpoint checkpoint, OperationContext context, CancellationToken cancellationToken)
    {
        var (name, contentType) = FileOf(input);
        var file = context.CreateFile(name, contentType);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < checkpoint.Parts; i++)
        {
            var part = await _store.GetFileAsync(new GetFileParams(context.Tenant, context.OperationId, PartName(i)), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Part {i} of export {context.OperationId} is missing.");
            for (var chunk = 0; chunk < part.Chunks; chunk++)
            {
                var data = await _store.ReadFileChunkAsync(new ReadFileChunkParams(part, chunk), cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Part {i} of export {context.OperationId} lost chunk {chunk}.");
                hash.AppendData(data);
                await file.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
        }
        await file.FinishAsync(cancellationToken).ConfigureAwait(false);
        // An empty file of the same name replaces a part's chunks: the storage is given back before the operation ends.
        for (var i = 0; i < Math.Max(checkpoint.Parts, checkpoint.StaleParts); i++)
            await context.CreateFile(PartName(i), "application/octet-stream").FinishAsync(cancellationToken).ConfigureAwait(false);

        var lifetime = input.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : _catalog.Options.LinkLifetime;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        var url = await _links.CreateAsync(context.Tenant, context.OperationId, name, expiresAt, cancellationToken).ConfigureAwait(false);
        return new ExportResult(_catalog.Options.PublicBaseUrl.TrimEnd('/') + url, expiresAt, checkpoint.Rows, file.Length,
            Convert.ToHexStringLower(hash.GetHashAndReset()), input.Format, contentType);
    }

    private static string PartName(int index) => string.Create(CultureInfo.InvariantCulture, $"export.part-{index:D5}");

    private static (string Name, string ContentType) FileOf(ExportInput input) => (input.Format, input.Gzip) switch
    {
        ("csv", false) => ("export.csv", "text/csv; charset=utf-8; header=present"),
        ("csv", true) => ("export.csv.gz", "application/gzip"),
        (_, false) => ("export.ndjson", "application/x-ndjson"),
        _ => ("export.ndjson.gz", "application/gzip"),
    };
}
