using NpgsqlTypes;

namespace Longhaul.Postgres;

/// <summary>A parameter kept as a value, so the same write can be bound to more than one command (batch, then alone).</summary>
internal readonly record struct PostgresParameterValue(string Name, object? Value, NpgsqlDbType Type);
