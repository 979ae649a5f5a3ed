using System.Buffers;
using System.Buffers.Text;
using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace Longhaul.Export;

/// <summary>
/// Formats rows as CSV (RFC 4180: CRLF, fields with a comma, quote, CR or LF quoted, quotes doubled) or NDJSON (one
/// JSON object per line, LF). CSV cells that a spreadsheet would run as a formula get a leading <c>'</c> when asked.
/// </summary>
internal sealed class ExportRowWriter : IDisposable
{
    private const int BufferBytes = 64 * 1024;
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private readonly bool _csv;
    private readonly bool _escapeFormulas;
    private readonly IReadOnlyList<string> _columns;
    private readonly Utf8JsonWriter? _json;
    private readonly Stream _sink;
    // CSV is encoded straight into UTF-8 here (no char buffer and encoder pass), then handed to the sink in blocks.
    private byte[] _buffer = [];
    private int _length;

    public ExportRowWriter(Stream sink, string format, bool escapeFormulas, IReadOnlyList<string> columns)
    {
        _sink = sink;
        _csv = format == "csv";
        _escapeFormulas = escapeFormulas;
        _columns = columns;
        if (_csv) _buffer = new byte[BufferBytes];
        else _json = new Utf8JsonWriter(sink, new JsonWriterOptions { SkipValidation = true });
    }

    public void WriteHeader()
    {
        if (!_csv) return;
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0) Byte((byte)',');
            WriteCsvField(_columns[i], escape: false);
        }
        Byte((byte)'\r');
        Byte((byte)'\n');
    }

    public void WriteRow(DbDataReader reader)
    {
        if (_csv) WriteCsvRow(reader);
        else WriteJsonRow(reader);
    }

    /// <summary>Pushes buffered bytes to the sink.</summary>
    public void Flush()
    {
        if (_length > 0)
        {
            _sink.Write(_buffer, 0, _length);
            _length = 0;
        }
        _json?.Flush();
    }

    public void Dispose()
    {
        Flush();
        _json?.Dispose();
    }

    private void WriteCsvRow(DbDataReader reader)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0) Byte((byte)',');
            if (reader.IsDBNull(i)) continue;
            var type = reader.GetFieldType(i);
            if (type == typeof(long))
            {
                // The common key and count column, formatted without boxing.
                Ensure(20);
                Utf8Formatter.TryFormat(reader.GetInt64(i), _buffer.AsSpan(_length), out var written);
                _length += written;
            }
            else if (type == typeof(string))
            {
                WriteCsvField(reader.GetString(i), _escapeFormulas);
            }
            else
            {
                WriteCsvField(ExportValues.Text(reader.GetValue(i)), escape: false);
            }
        }
        Byte((byte)'\r');
        Byte((byte)'\n');
    }

    private void WriteCsvField(string value, bool escape)
    {
        var formula = escape && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quoted = value.AsSpan().IndexOfAny(NeedsQuotes) >= 0;
        // Worst case: every char 3 UTF-8 bytes, every one a quote doubled, plus the quotes and the '.
        Ensure(value.Length * 3 + (quoted ? value.Length : 0) + 3);
        if (quoted) _buffer[_length++] = (byte)'"';
        if (formula) _buffer[_length++] = (byte)'\'';
        var rest = value.AsSpan();
        if (quoted)
        {
            for (var q = rest.IndexOf('"'); q >= 0; q = rest.IndexOf('"'))
            {
                _length += Encoding.UTF8.GetBytes(rest[..(q + 1)], _buffer.AsSpan(_length));
                _buffer[_length++] = (byte)'"';
                rest = rest[(q + 1)..];
            }
        }
        _length += Encoding.UTF8.GetBytes(rest, _buffer.AsSpan(_length));
        if (quoted) _buffer[_length++] = (byte)'"';
    }

    private void Byte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    private void Ensure(int bytes)
    {
        if (_length + bytes <= _buffer.Length) return;
        Flush();
        if (bytes > _buffer.Length) _buffer = new byte[bytes];
    }

    private void WriteJsonRow(DbDataReader reader)
    {
        var json = _json!;
        json.WriteStartObject();
        for (var i = 0; i < _columns.Count; i++)
        {
            json.WritePropertyName(_columns[i]);
            if (reader.IsDBNull(i))
            {
                json.WriteNullValue();
                continue;
            }
            switch (reader.GetValue(i))
            {
                case string s: json.WriteStringValue(s); break;
                case long l: json.WriteNumberValue(l); break;
                case int n: json.WriteNumberValue(n); break;
                case short n: json.WriteNumberValue(n); break;
                case decimal d: json.WriteNumberValue(d); break;
                case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
                case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
                case bool b: json.WriteBooleanValue(b); break;
                case var other: json.WriteStringValue(ExportValues.Text(other)); break;
            }
        }
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        _sink.WriteByte((byte)'\n');
    }
}
