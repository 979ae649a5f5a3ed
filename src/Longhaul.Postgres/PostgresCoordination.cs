namespace Longhaul.Postgres;

/// <summary>SQL of the cross-node coordination: the notification channel and the maintenance leader's advisory lock.</summary>
internal static class PostgresCoordination
{
    /// <summary>
    /// <c>lh_</c> plus the validated schema name, so stores in different schemas never hear each other; cut to the
    /// 63 bytes an identifier may have (a schema name is ASCII).
    /// </summary>
    public static string Channel(string schema)
    {
        var channel = "lh_" + schema;
        return channel.Length <= 63 ? channel : channel[..63];
    }

    /// <summary>The one statement with a name in it: the channel is built from the store's validated lower-case schema name.</summary>
    public static string Listen(string channel) => $"LISTEN \"{channel}\"";

    /// <summary>Sends a batch of payloads in one round trip.</summary>
    public const string Notify = "SELECT pg_notify(@channel, p) FROM unnest(@payloads) AS p";

    /// <summary>A session-level lock: PostgreSQL drops it when the holding connection ends, even when its process is SIGKILLed.</summary>
    public const string TryLeadMaintenance = "SELECT pg_try_advisory_lock(hashtextextended('longhaul.maintenance.' || @schema, 0))";

    /// <summary>Proves the leader's session (and so its lock) is still alive.</summary>
    public const string StillConnected = "SELECT 1";
}
