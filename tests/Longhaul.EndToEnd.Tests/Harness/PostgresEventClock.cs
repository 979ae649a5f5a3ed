using Npgsql;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// Reads the database clock and the stored time of events (<c>operation_events.created_at</c>, set on the database
/// clock), so the test and the nodes measure intervals on one clock.
/// </summary>
internal static class PostgresEventClock
{
    public static async Task<DateTimeOffset> NowAsync(PostgresTestSchema schema)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection);
        return new DateTimeOffset((DateTime)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, TimeSpan.Zero);
    }

    /// <summary>When event <paramref name="seq"/> of operation <paramref name="id"/> was written.</summary>
    public static async Task<DateTimeOffset> EventTimeAsync(PostgresTestSchema schema, string id, long seq)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // The schema name is a fixed prefix and hex digits, safe to quote.
        await using var command = new NpgsqlCommand(
            $"SELECT e.created_at FROM \"{schema.Name}\".operation_events e JOIN \"{schema.Name}\".operations o ON o.seq = e.operation_seq WHERE o.id = @id AND e.seq = @seq",
            connection);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("seq", seq);
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"No event {seq} for operation {id}.");
        return new DateTimeOffset(DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc), TimeSpan.Zero);
    }

    /// <summary>The stored <c>lease_expires_at</c> of operation <paramref name="id"/>; fails when nobody holds it.</summary>
    public static async Task<DateTimeOffset> LeaseExpiresAtAsync(PostgresTestSchema schema, string id)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        // The schema name is a fixed prefix and hex digits, safe to quote.
        await using var command = new NpgsqlCommand($"SELECT lease_expires_at FROM \"{schema.Name}\".operations WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        if (value is not DateTime time) throw new InvalidOperationException($"Operation {id} holds no lease.");
        return new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero);
    }
}
