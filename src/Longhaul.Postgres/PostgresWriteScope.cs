using Longhaul.Storage;
using Npgsql;

namespace Longhaul.Postgres;

/// <summary>One write transaction: commands bound to it, and the notifications to publish once it has committed.</summary>
internal sealed class PostgresWriteScope(NpgsqlConnection connection, NpgsqlTransaction transaction, object clock)
{
    internal List<(StoreNotificationKind Kind, string? Id)> Notifications { get; } = [];

    /// <summary>A command in this transaction with the <c>@clock</c> parameter bound (see <c>PostgresOperationStore.Now</c>).</summary>
    public NpgsqlCommand Command(string sql)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("clock", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = clock });
        return command;
    }

    public void Notify(StoreNotificationKind kind, string? operationId = null) => Notifications.Add((kind, operationId));
}
