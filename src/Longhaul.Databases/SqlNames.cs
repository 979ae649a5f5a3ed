using System.Text.RegularExpressions;

namespace Longhaul.Databases;

/// <summary>
/// Table and column names as SQL text: only names of letters, digits and '_' (checked against the operator's allow-list
/// first), each quoted, so a client's words never become SQL.
/// </summary>
public static partial class SqlNames
{
    /// <summary>A letter or '_', then letters, digits and '_', at most 63 characters.</summary>
    public static bool IsIdentifier(string name) => IdentifierPattern().IsMatch(name);

    /// <summary><c>table</c> or <c>schema.table</c>, each part an identifier.</summary>
    public static bool IsTableName(string name) => name.Split('.') is { Length: 1 or 2 } parts && parts.All(IsIdentifier);

    /// <summary>The identifier in double quotes (standard SQL; PostgreSQL and SQLite both).</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Each part of a table name quoted.</summary>
    public static string QuoteTable(string table) => string.Join('.', table.Split('.').Select(Quote));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
