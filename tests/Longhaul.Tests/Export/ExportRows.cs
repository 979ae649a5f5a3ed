using Microsoft.Data.Sqlite;
using Npgsql;

namespace Longhaul.Tests.Export;

/// <summary>
/// A source table <c>items(id, name, amount, note)</c> of N rows that follow a formula (row i: <c>n{i}</c>, <c>3i</c>,
/// a note cycling through CSV-hostile and formula-like values and NULL), generated inside the database; the
/// independent checker (<see cref="PythonReader"/>) regenerates the same rows from the formula.
/// </summary>
internal static class ExportRows
{
    private static string NoteCase(string newline) => $"""
        CASE id % 7 WHEN 0 THEN '=SUM(A1)' WHEN 1 THEN 'a,b' WHEN 2 THEN 'say "hi"' WHEN 3 THEN 'line1' || {newline} || 'line2'
        WHEN 4 THEN '-5' WHEN 5 THEN NULL ELSE '@x' END
        """;

    /// <summary>A new SQLite file holding <paramref name="rows"/> rows (one transaction, a recursive CTE); returns its path.</summary>
    public static string CreateSqlite(int rows)
    {
        var path = Path.Combine(Path.GetTempPath(), "longhaul-tests", $"export-source-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, amount INTEGER NOT NULL, note TEXT);
            WITH RECURSIVE s(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM s WHERE id < {rows})
            INSERT INTO items SELECT id, 'n' || id, id * 3, {NoteCase("char(10)")} FROM s;
            """;
        command.ExecuteNonQuery();
        return path;
    }

    /// <summary>A table <c>{schema}.items</c> of <paramref name="rows"/> rows (<c>generate_series</c>).</summary>
    public static async Task CreatePostgresAsync(string connectionString, string schema, int rows, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            CREATE SCHEMA "{schema}";
            CREATE TABLE "{schema}".items (id bigint PRIMARY KEY, name text NOT NULL, amount bigint NOT NULL, note text);
            INSERT INTO "{schema}".items SELECT id, 'n' || id, id * 3, {NoteCase("chr(10)")}
            FROM generate_series(1, {rows}) AS id;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
