using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace Longhaul.Import;

/// <summary>
/// Turns a chunk's records into converted rows, one error per bad row (line, column, reason): a NUL byte, invalid
/// UTF-8, a ragged row, a value its column cannot take, a line that is not a JSON object. Blank lines are passed over.
/// </summary>
internal static class RowParser
{
    /// <param name="chunk">The records.</param>
    /// <param name="plan">Which fields go to which columns.</param>
    /// <param name="batch">Receives the converted rows and the bad rows, after those it already has (a chunk of the load is read in several pieces).</param>
    /// <param name="checkOnly">
    /// The <c>on_error: fail</c> check: every cell is parsed and converted as for the load, but nothing is kept: text
    /// cells are not copied and every row reuses the first row's cells (a batch of one row is enough), so the pass
    /// allocates nothing per cell.
    /// </param>
    public static void Parse(ScannedChunk chunk, ImportPlan plan, ImportBatch batch, bool checkOnly = false)
    {
        // The usual chunk is clean: one vectorized check of all of it, row by row only when it is not.
        var data = chunk.Buffer.AsSpan(chunk.DataStart, chunk.DataLength);
        var suspect = data.Contains((byte)0) || !Utf8.IsValid(data);
        if (plan.Csv) ParseCsv(chunk, plan, batch, suspect, checkOnly);
        else ParseNdjson(chunk, plan, batch, suspect, checkOnly);
    }

    private static void ParseCsv(ScannedChunk chunk, ImportPlan plan, ImportBatch batch, bool suspect, bool checkOnly)
    {
        using var stream = new MemoryStream(chunk.Buffer, chunk.DataStart, chunk.DataLength, writable: false);
        using var reader = Sep.New(plan.Delimiter).Reader(o => o with
        {
            HasHeader = false,
            Unescape = plan.Quotes,
            DisableQuotesParsing = !plan.Quotes,
            DisableColCountCheck = true,
        }).From(stream);
        var k = 0;
        foreach (var row in reader)
        {
            if (k >= chunk.Count)
                throw new ImportFileException("bare_carriage_return", chunk.Lines[chunk.Count - 1], "a carriage return (CR) without a line feed ends a row here; use LF or CRLF line ends.");
            var record = chunk.Record(k);
            var line = chunk.Lines[k++];
            if (IsBlank(record)) continue;
            if (suspect && Unreadable(record, line, batch)) continue;
            if (plan.FieldCount >= 0 ? row.ColCount != plan.FieldCount : row.ColCount <= plan.SourceIndex.Max())
            {
                batch.Errors.Add(new ImportError(line, null, plan.FieldCount >= 0
                    ? $"the row has {row.ColCount} fields; the header has {plan.FieldCount}"
                    : $"the row has {row.ColCount} fields; the mapping reads field {plan.SourceIndex.Max() + 1}"));
                continue;
            }
            var cells = batch.Next();
            var ok = true;
            for (var j = 0; j < cells.Length && ok; j++)
            {
                var text = row[plan.SourceIndex[j]].Span;
                if (text.IsEmpty) continue;
                var column = plan.Columns[j];
                // Any text fits a text column: the check has nothing to convert, the load copies it.
                if (checkOnly && column.Kind is ValueKind.Text or ValueKind.Json) continue;
                ok = Convert(text, column, ref cells[j], line, batch, checkOnly);
            }
            if (ok && !checkOnly) batch.Commit();
        }
        if (k != chunk.Count)
            throw new ImportFileException("bare_carriage_return", chunk.Lines[Math.Max(k - 1, 0)], "a carriage return (CR) without a line feed ends a row here; use LF or CRLF line ends.");
    }

    private static void ParseNdjson(ScannedChunk chunk, ImportPlan plan, ImportBatch batch, bool suspect, bool checkOnly)
    {
        Span<char> number = stackalloc char[64];
        for (var k = 0; k < chunk.Count; k++)
        {
            var record = chunk.Record(k);
            var line = chunk.Lines[k];
            if (IsBlank(record)) continue;
            if (suspect && Unreadable(record, line, batch)) continue;
            var cells = batch.Next();
            try
            {
                if (ReadObject(record, plan, cells, line, batch, number, checkOnly) && !checkOnly) batch.Commit();
            }
            catch (JsonException e)
            {
                batch.Errors.Add(new ImportError(line, null, $"not valid JSON: {e.Message.Split(" LineNumber", 2)[0]}"));
            }
        }
    }

    private static bool ReadObject(ReadOnlySpan<byte> record, ImportPlan plan, Span<ImportValue> cells, long line, ImportBatch batch, Span<char> number, bool checkOnly)
    {
        var json = new Utf8JsonReader(record);
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
        {
            batch.Errors.Add(new ImportError(line, null, "the line is not a JSON object"));
            return false;
        }
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var j = 0;
            while (j < plan.SourceNames.Length && !json.ValueTextEquals(plan.SourceNames[j])) j++;
            json.Read();
            if (j == plan.SourceNames.Length)
            {
                json.Skip();
                continue;
            }
            var column = plan.Columns[j];
            switch (json.TokenType)
            {
                case JsonTokenType.Null:
                    break;
                case JsonTokenType.String:
                    if (!ConvertString(ref json, column, ref cells[j], line, batch, checkOnly)) return false;
                    break;
                case JsonTokenType.Number:
                    var length = Encoding.UTF8.GetChars(json.ValueSpan, number);
                    if (!Convert(number[..length], column, ref cells[j], line, batch, checkOnly)) return false;
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    if (!Convert(json.TokenType == JsonTokenType.True ? "true" : "false", column, ref cells[j], line, batch, checkOnly)) return false;
                    break;
                default:
                    if (column.Kind is not (ValueKind.Json or ValueKind.Text))
                    {
                        batch.Errors.Add(new ImportError(line, column.Name, $"an {(json.TokenType == JsonTokenType.StartArray ? "array" : "object")} does not fit column type {column.TypeName}"));
                        return false;
                    }
                    if (checkOnly)
                    {
                        json.Skip();
                        break;
                    }
                    using (var document = JsonDocument.ParseValue(ref json))
                    {
                        batch.SetText(ref cells[j], document.RootElement.GetRawText());
                    }
                    break;
            }
        }
        return true;
    }

    /// <summary>A JSON string into its cell: unescaped into a pooled buffer, not a string (a short one on the stack).</summary>
    private static bool ConvertString(ref Utf8JsonReader json, TargetColumn column, ref ImportValue cell, long line, ImportBatch batch, bool checkOnly)
    {
        var length = json.HasValueSequence ? checked((int)json.ValueSequence.Length) : json.ValueSpan.Length;
        char[]? rented = null;
        var chars = length <= 256 ? stackalloc char[256] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        try
        {
            var written = json.CopyString(chars);
            return Convert(chars[..written], column, ref cell, line, batch, checkOnly);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool Convert(ReadOnlySpan<char> text, TargetColumn column, ref ImportValue cell, long line, ImportBatch batch, bool checkOnly)
    {
        if (column.Kind is ValueKind.Text or ValueKind.Json)
        {
            // Any text fits a text column: the check has nothing to convert, the load copies it into the chunk's arena.
            if (!checkOnly) batch.SetText(ref cell, text);
            return true;
        }
        if (ValueConverter.TryConvert(text, column.Kind.GetValueOrDefault(), ref cell, out var reason)) return true;
        batch.Errors.Add(new ImportError(line, column.Name, reason!));
        return false;
    }

    private static bool Unreadable(ReadOnlySpan<byte> record, long line, ImportBatch batch)
    {
        if (record.Contains((byte)0)) batch.Errors.Add(new ImportError(line, null, "the row holds a NUL byte (a binary file?)"));
        else if (!Utf8.IsValid(record)) batch.Errors.Add(new ImportError(line, null, "the row is not valid UTF-8 (only UTF-8 files are read)"));
        else return false;
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> record) => record.TrimEnd("\r\n"u8).IsEmpty;
}
