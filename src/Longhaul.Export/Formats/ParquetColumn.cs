using System.Data.Common;
using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Longhaul.Export.Formats;

/// <summary>One column's values of the row group being built, and how they are read from the source and written.</summary>
internal abstract class ParquetColumn
{
    protected ParquetColumn(DataField field) => Field = field;

    public DataField Field { get; }

    /// <summary>Bytes the buffered values hold beyond their fixed size (text and bytes), to bound a row group's memory.</summary>
    public long ExtraBytes { get; protected set; }

    public abstract void Add(DbDataReader reader, int ordinal);

    public abstract Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken);

    public abstract void Clear();

    public static ParquetColumn Create(string name, string type) => type switch
    {
        "boolean" => new Value<bool>(new DataField<bool?>(name), static (r, i) => r.GetBoolean(i)),
        "int32" => new Value<int>(new DataField<int?>(name), static (r, i) => r.GetFieldType(i) == typeof(short) ? r.GetInt16(i) : r.GetInt32(i)),
        "int64" => new Value<long>(new DataField<long?>(name), static (r, i) => r.GetInt64(i)),
        "float" => new Value<float>(new DataField<float?>(name), static (r, i) => r.GetFloat(i)),
        "double" => new Value<double>(new DataField<double?>(name), static (r, i) => r.GetDouble(i)),
        "date" => new Value<DateTime>(new DateTimeDataField(name, DateTimeFormat.Date, isNullable: true), static (r, i) => r.GetValue(i) switch { DateOnly d => d.ToDateTime(TimeOnly.MinValue), var t => (DateTime)t }),
        "timestamp" => new Value<DateTime>(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: true),
            static (r, i) => DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Unspecified)),
        "timestamptz" => new Value<DateTime>(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
            static (r, i) => r.GetValue(i) switch { DateTimeOffset o => o.UtcDateTime, var t => DateTime.SpecifyKind((DateTime)t, DateTimeKind.Utc) }),
        "bytes" => new Bytes(new DataField<byte[]>(name, nullable: true)),
        "string" => new Text(new DataField<string>(name, nullable: true)),
        _ when type.StartsWith("decimal(", StringComparison.Ordinal) => Decimal(name, type),
        _ => throw new InvalidOperationException($"Unknown Parquet column type '{type}'."),
    };

    private static Value<decimal> Decimal(string name, string type)
    {
        var parts = type["decimal(".Length..^1].Split(',');
        var precision = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var scale = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return new Value<decimal>(new DecimalDataField(name, precision, scale, isNullable: true), static (r, i) => r.GetDecimal(i));
    }

    private sealed class Value<T>(DataField field, Func<DbDataReader, int, T> read) : ParquetColumn(field) where T : struct
    {
        private T?[] _values = new T?[1024];
        private int _count;

        public override void Add(DbDataReader reader, int ordinal)
        {
            if (_count == _values.Length) Array.Resize(ref _values, _count * 2);
            _values[_count++] = reader.IsDBNull(ordinal) ? null : read(reader, ordinal);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken)
            => group.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(_values, 0, _count), cancellationToken: cancellationToken);

        public override void Clear() => _count = 0;
    }

    private sealed class Text(DataField field) : ParquetColumn(field)
    {
        private readonly List<string?> _values = [];

        public override void Add(DbDataReader reader, int ordinal)
        {
            if (reader.IsDBNull(ordinal))
            {
                _values.Add(null);
                return;
            }
            var value = reader.GetFieldType(ordinal) == typeof(string) ? reader.GetString(ordinal) : ExportValues.Text(reader.GetValue(ordinal));
            ExtraBytes += value.Length * 2;
            _values.Add(value);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) => group.WriteAsync(Field, _values);

        public override void Clear()
        {
            _values.Clear();
            ExtraBytes = 0;
        }
    }

    private sealed class Bytes(DataField field) : ParquetColumn(field)
    {
        private readonly List<byte[]?> _values = [];

        public override void Add(DbDataReader reader, int ordinal)
        {
            var value = reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);
            ExtraBytes += value?.Length ?? 0;
            _values.Add(value);
        }

        public override Task WriteAsync(ParquetRowGroupWriter group, CancellationToken cancellationToken) => group.WriteAsync(Field, _values);

        public override void Clear()
        {
            _values.Clear();
            ExtraBytes = 0;
        }
    }
}
