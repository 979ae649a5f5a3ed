namespace Longhaul.Postgres;

/// <summary>SQL of the cross-node coordination: the notification channel and the maintenance leader's advisory lock.</summary>
internal static class PostgresCoordination
{
    /// <summary>
    /// The channel of new work and cancel requests: <c>lh_</c> plus the validated schema name, so stores in different
    /// schemas never hear each other.
    /// </summary>
    public static string Channel(string schema) => ChannelName("lh_", schema);

    /// <summary>The channel of operation changes (<c>lhc_</c> plus the schema name), which only API nodes listen to.</summary>
    public static string ChangesChannel(string schema) => ChannelName("lhc_", schema);

    /// <summary>Cut to the 63 bytes an identifier may have (a schema name is ASCII).</summary>
    private static string ChannelName(string prefix, string schema)
    {
        var channel = prefix + schema;
        return channel.Length <= 63 ? channel : channel[..63];
    }

    /// <summary>The one statement with a name in it: the channel is built from the store's validated lower-case schema name.</summary>
    public static string Listen(string channel) => $"LISTEN \"{channel}\"";

    /// <summary>Sends a batch of payloads on one channel in one round trip.</summary>
    public const string Notify = "SELECT pg_notify(@channel, p) FROM unnest(@payloads) AS p";

    /// <summary>A session-level lock: PostgreSQL drops it when the holding connection ends, even when its process is SIGKILLed.</summary>
    public const string TryLeadMaintenance = "SELECT pg_try_advisory_lock(hashtextextended('longhaul.maintenance.' || @schema, 0))";

    /// <summary>Proves the leader's session (and so its lock) is still alive.</summary>
    public const string StillConnected = "SELECT 1";

    /// <summary>
    /// The server's connection limit for ordinary roles (<c>max_connections</c> less the slots reserved for superusers
    /// and, from PostgreSQL 16, for <c>pg_use_reserved_connections</c>), and the client connections open now other than
    /// the one asking (every database counts: the limit is per server).
    /// </summary>
    public const string ConnectionBudget = """
        SELECT current_setting('max_connections')::int,
               current_setting('superuser_reserved_connections')::int + COALESCE(current_setting('reserved_connections', true)::int, 0),
               (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())
        """;
}
