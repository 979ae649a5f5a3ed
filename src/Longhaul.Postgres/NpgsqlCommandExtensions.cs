using Npgsql;
using NpgsqlTypes;

namespace Longhaul.Postgres;

internal static class NpgsqlCommandExtensions
{
    /// <summary>Adds a typed parameter; null becomes SQL NULL (typed, so <c>@p IS NULL</c> works).</summary>
    public static NpgsqlCommand P(this NpgsqlCommand command, string name, object? value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return command;
    }
}
