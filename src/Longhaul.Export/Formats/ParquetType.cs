using System.Data.Common;
using System.Globalization;

namespace Longhaul.Export.Formats;

/// <summary>
/// The Parquet type of one exported column, decided from the source's column type (and, for a SQLite column without
/// a declared type, from the first row's value), written as a short name so a checkpoint can keep it: <c>boolean</c>,
/// <c>int32</c>, <c>int64</c>, <c>float</c>, <c>double</c>, <c>decimal(p,s)</c>, <c>date</c>, <c>timestamp</c>
/// (local), <c>timestamptz</c> (UTC), <c>bytes</c>, <c>string</c> (everything else, as the CSV text of the value).
/// </summary>
internal static class ParquetType
{
    public static string Of(DbDataReader reader, int ordinal, bool hasRow)
    {
        var declared = reader.GetDataTypeName(ordinal).ToLowerInvariant();
        var type = reader.GetFieldType(ordinal);
        if (reader is Microsoft.Data.Sqlite.SqliteDataReader) return OfSqlite(declared, hasRow && !reader.IsDBNull(ordinal) ? reader.GetFieldType(ordinal) : null);
        if (type == typeof(bool)) return "boolean";
        if (type == typeof(short) || type == typeof(int)) return "int32";
        if (type == typeof(long)) return "int64";
        if (type == typeof(float)) return "float";
        if (type == typeof(double)) return "double";
        if (type == typeof(decimal))
        {
            var column = reader.GetColumnSchema()[ordinal];
            // numeric without a precision has no fixed scale: its exact text rather than a rounded decimal.
            return column.NumericPrecision is > 0 and <= 28 && column.NumericScale is { } scale and >= 0 && scale <= column.NumericPrecision
                ? string.Create(CultureInfo.InvariantCulture, $"decimal({column.NumericPrecision},{scale})")
                : "string";
        }
        if (type == typeof(DateTime)) return declared == "date" ? "date" : declared.Contains("with time zone", StringComparison.Ordinal) ? "timestamptz" : "timestamp";
        if (type == typeof(DateTimeOffset)) return "timestamptz";
        if (type == typeof(DateOnly)) return "date";
        if (type == typeof(byte[])) return "bytes";
        return "string";
    }

    /// <summary>SQLite's type affinity rules (§3.1 of its datatype page), with the common names for booleans, decimals and times.</summary>
    private static string OfSqlite(string declared, Type? valueType)
    {
        if (declared.Length == 0)
        {
            if (valueType == typeof(long)) return "int64";
            if (valueType == typeof(double)) return "double";
            if (valueType == typeof(byte[])) return "bytes";
            return "string";
        }
        if (declared.Contains("bool", StringComparison.Ordinal)) return "boolean";
        if (declared.Contains("int", StringComparison.Ordinal)) return "int64";
        if (declared.Contains("char", StringComparison.Ordinal) || declared.Contains("clob", StringComparison.Ordinal) || declared.Contains("text", StringComparison.Ordinal)) return "string";
        if (declared.Contains("blob", StringComparison.Ordinal)) return "bytes";
        if (declared.Contains("real", StringComparison.Ordinal) || declared.Contains("floa", StringComparison.Ordinal) || declared.Contains("doub", StringComparison.Ordinal)) return "double";
        // NUMERIC affinity keeps a fraction as a REAL (a double) whatever precision the declaration names.
        if (declared.StartsWith("decimal", StringComparison.Ordinal) || declared.StartsWith("numeric", StringComparison.Ordinal)) return "double";
        if (declared == "date") return "date";
        if (declared.Contains("timestamp", StringComparison.Ordinal) || declared.Contains("datetime", StringComparison.Ordinal)) return "timestamp";
        return "string";
    }
}
