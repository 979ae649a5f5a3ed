using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Import;

internal sealed partial class PostgresImportTarget
{
    /// <summary>One cell in the column's binary format.</summary>
    private static void Write(NpgsqlBinaryImporter importer, ImportBatch batch, in ImportValue value, ValueKind kind)
    {
        if (value.IsNull)
        {
            importer.WriteNull();
            return;
        }
        switch (kind)
        {
            // The characters straight from the batch's arena: no string per cell.
            case ValueKind.Text: importer.Write(batch.TextOf(value), NpgsqlDbType.Text); break;
            case ValueKind.Json: importer.Write(batch.TextOf(value), NpgsqlDbType.Jsonb); break;
            case ValueKind.Int16: importer.Write((short)value.Integer, NpgsqlDbType.Smallint); break;
            case ValueKind.Int32: importer.Write((int)value.Integer, NpgsqlDbType.Integer); break;
            case ValueKind.Int64: importer.Write(value.Integer, NpgsqlDbType.Bigint); break;
            case ValueKind.Float32: importer.Write((float)value.Real, NpgsqlDbType.Real); break;
            case ValueKind.Float64: importer.Write(value.Real, NpgsqlDbType.Double); break;
            case ValueKind.Decimal: importer.Write(value.Number, NpgsqlDbType.Numeric); break;
            case ValueKind.Boolean: importer.Write(value.Integer != 0, NpgsqlDbType.Boolean); break;
            case ValueKind.Date: importer.Write(DateOnly.FromDateTime(value.Time), NpgsqlDbType.Date); break;
            case ValueKind.Timestamp: importer.Write(value.Time, NpgsqlDbType.Timestamp); break;
            case ValueKind.TimestampTz: importer.Write(value.Time, NpgsqlDbType.TimestampTz); break;
            case ValueKind.Uuid: importer.Write(value.Uuid, NpgsqlDbType.Uuid); break;
            default: throw new InvalidOperationException($"No binary format for {kind}.");
        }
    }

    /// <summary>How text converts to a column of this PostgreSQL type; null for a type the import does not load.</summary>
    public static ValueKind? KindOf(string typeName) => typeName switch
    {
        "smallint" => ValueKind.Int16,
        "integer" => ValueKind.Int32,
        "bigint" => ValueKind.Int64,
        "real" => ValueKind.Float32,
        "double precision" => ValueKind.Float64,
        "boolean" => ValueKind.Boolean,
        "date" => ValueKind.Date,
        "uuid" => ValueKind.Uuid,
        "jsonb" => ValueKind.Json,
        // json's binary format is its text.
        "text" or "json" => ValueKind.Text,
        _ when typeName.StartsWith("numeric", StringComparison.Ordinal) => ValueKind.Decimal,
        _ when typeName.StartsWith("character", StringComparison.Ordinal) => ValueKind.Text,
        _ when typeName.StartsWith("timestamp with time zone", StringComparison.Ordinal) => ValueKind.TimestampTz,
        _ when typeName.StartsWith("timestamp", StringComparison.Ordinal) => ValueKind.Timestamp,
        _ => null,
    };
}
