using Longhaul.Storage;
using Microsoft.Data.Sqlite;

namespace Longhaul.Sqlite;

/// <summary>What a queued write sees: prepared commands on the writer connection, and notifications to publish after commit.</summary>
internal sealed class WriteScope(SqliteWriter writer)
{
    internal List<(StoreNotificationKind, string?)> Notifications { get; set; } = [];

    public SqliteCommand Command(string sql) => writer.Command(sql);

    public void Notify(StoreNotificationKind kind, string? operationId = null) => Notifications.Add((kind, operationId));
}
