using nietras.SeparatedValues;

namespace Longhaul.Import;

public sealed partial class ImportHandler
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>0, or 3 past a UTF-8 byte order mark (accepted and left out).</summary>
    private async Task<long> DataStartAsync(Storage.UploadRecord upload, CancellationToken cancellationToken)
    {
        if (upload.Length < 3) return 0;
        await using var stream = new UploadStream(_store, upload.Id, upload.Length);
        var head = new byte[3];
        await stream.ReadExactlyAsync(head, cancellationToken).ConfigureAwait(false);
        return head.AsSpan().SequenceEqual(Bom) ? 3 : 0;
    }

    /// <summary>The plan, and where the first data record starts (after the header) and on which line.</summary>
    private async Task<(ImportPlan Plan, long First, long Line)> PlanAsync(ImportInput input, Storage.UploadRecord upload, long start, CancellationToken cancellationToken)
    {
        var table = _catalog.Columns(input.Target, input.Table);
        var csv = input.Format == "csv";
        var options = input.Csv ?? new ImportCsvOptions();
        var quotes = options.Quote != "none";
        if (!csv)
        {
            var pairs = input.Mapping?.ToList() ?? [.. table.Where(c => c.Kind is not null).Select(c => KeyValuePair.Create(c.Name, c.Name))];
            return (new ImportPlan
            {
                Csv = false, Delimiter = ',', Quotes = false,
                Columns = [.. pairs.Select(p => Column(table, p.Value, 1))],
                SourceNames = ImportPlan.Utf8Names(pairs.Select(p => p.Key)),
            }, start, 1);
        }
        if (!options.Header)
        {
            var pairs = input.Mapping?.ToList() ?? throw new ImportFileException("header_mismatch", 1, "a file without a header needs a mapping from column numbers (\"1\", \"2\", …) to table columns.");
            return (new ImportPlan
            {
                Csv = true, Delimiter = options.Delimiter[0], Quotes = quotes,
                Columns = [.. pairs.Select(p => Column(table, p.Value, 1))],
                SourceIndex = [.. pairs.Select(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture) - 1)],
            }, start, 1);
        }

        await using var stream = new UploadStream(_store, upload.Id, upload.Length, start);
        using var scanner = new RecordScanner(stream, start, 1, quotes ? (byte)'"' : (byte)0, _catalog.Options.MaxRecordBytes, 64 * 1024);
        using var chunk = new ScannedChunk(1);
        if (!await scanner.NextAsync(chunk, 1, cancellationToken).ConfigureAwait(false)) throw new ImportFileException("empty_file", 1, "the file is empty.");
        var header = ReadHeader(chunk, options.Delimiter[0], quotes);
        if (header.Length == 1 && header[0].Length == 0) throw new ImportFileException("empty_file", 1, "the header line is empty.");
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ImportFileException("header_mismatch", 1, $"the header names column '{duplicate.Key}' twice.");
        var mapping = input.Mapping?.ToList() ?? [.. header.Select(h => KeyValuePair.Create(h, h))];
        var indexes = new int[mapping.Count];
        for (var i = 0; i < mapping.Count; i++)
        {
            indexes[i] = Array.IndexOf(header, mapping[i].Key);
            if (indexes[i] < 0)
                throw new ImportFileException("header_mismatch", 1, $"the header has no column '{mapping[i].Key}' (it has {string.Join(", ", header.Take(20))}).");
        }
        return (new ImportPlan
        {
            Csv = true, Delimiter = options.Delimiter[0], Quotes = quotes,
            Columns = [.. mapping.Select(p => Column(table, p.Value, 1))],
            SourceIndex = indexes,
            FieldCount = header.Length,
        }, chunk.EndOffset, chunk.EndLine);
    }

    private static string[] ReadHeader(ScannedChunk chunk, char delimiter, bool quotes)
    {
        using var text = new MemoryStream(chunk.Buffer, chunk.DataStart, chunk.DataLength, writable: false);
        using var reader = Sep.New(delimiter).Reader(o => o with { HasHeader = false, Unescape = quotes, DisableQuotesParsing = !quotes, DisableColCountCheck = true }).From(text);
        foreach (var row in reader)
        {
            var names = new string[row.ColCount];
            for (var i = 0; i < names.Length; i++) names[i] = row[i].ToString().Trim();
            return names;
        }
        return [""];
    }

    /// <summary>The table column a source maps to; a file error at <paramref name="line"/> when the table has none of that name or its type cannot be loaded.</summary>
    private static TargetColumn Column(IReadOnlyList<TargetColumn> table, string name, long line)
    {
        var column = table.FirstOrDefault(c => c.Name == name)
            ?? throw new ImportFileException("header_mismatch", line, $"'{name}' is not a column of the table (it has {string.Join(", ", table.Select(c => c.Name))}); map the source column to one, or leave it out with a mapping.");
        return column.Kind is null ? throw new ImportFileException("unsupported_column_type", line, $"column '{name}' has type {column.TypeName}, which the import does not load.") : column;
    }
}
