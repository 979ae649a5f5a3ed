using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Longhaul.Export;

/// <summary>
/// Formats rows as CSV (RFC 4180: CRLF, fields with a comma, quote, CR or LF quoted, quotes doubled) or NDJSON (one
/// JSON object per line, LF). CSV cells that a spreadsheet would run as a formula get a leading <c>'</c> when asked.
/// </summary>
internal sealed class ExportRowWriter : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly bool _csv;
    private readonly bool _escapeFormulas;
    private readonly IReadOnlyList<string> _columns;
    private readonly StreamWriter? _text;
    private readonly Utf8JsonWriter? _json;
    private readonly Stream _sink;
    private readonly char[] _digits = new char[20];

    public ExportRowWriter(Stream sink, string format, bool escapeFormulas, IReadOnlyList<string> columns)
    {
        _sink = sink;
        _csv = format == "csv";
        _escapeFormulas = escapeFormulas;
        _columns = columns;
        if (_csv) _text = new StreamWriter(sink, Utf8, 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        else _json = new Utf8JsonWriter(sink, new JsonWriterOptions { SkipValidation = true });
    }

    public void WriteHeader()
    {
        if (!_csv) return;
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0) _text!.Write(',');
            WriteCsvField(_columns[i]);
        }
        _text!.Write("\r\n");
    }

    public void WriteRow(DbDataReader reader)
    {
        if (_csv) WriteCsvRow(reader);
        else WriteJsonRow(reader);
    }

    /// <summary>Pushes buffered text to the sink.</summary>
    public void Flush()
    {
        _text?.Flush();
        _json?.Flush();
    }

    public void Dispose()
    {
        Flush();
        _text?.Dispose();
        _json?.Dispose();
    }

    private void WriteCsvRow(DbDataReader reader)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0) _text!.Write(',');
            if (reader.IsDBNull(i)) continue;
            var type = reader.GetFieldType(i);
            if (type == typeof(long))
            {
                // The common key and count column, formatted without boxing.
                reader.GetInt64(i).TryFormat(_digits, out var written, default, CultureInfo.InvariantCulture);
                _text!.Write(_digits, 0, written);
                continue;
            }
            var value = type == typeof(string) ? reader.GetString(i) : reader.GetValue(i);
            if (value is string s)
            {
                if (_escapeFormulas && s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r') s = "'" + s;
                WriteCsvField(s);
            }
            else
            {
                WriteCsvField(ExportValues.Text(value));
            }
        }
        _text!.Write("\r\n");
    }

    private void WriteCsvField(string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _text!.Write(value);
            return;
        }
        _text!.Write('"');
        _text.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _text.Write('"');
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
