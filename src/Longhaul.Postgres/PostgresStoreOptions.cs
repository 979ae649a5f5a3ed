namespace Longhaul.Postgres;

/// <summary>Where and how the PostgreSQL store keeps its tables.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// The <c>Maximum Pool Size</c> the store uses when <see cref="ConnectionString"/> sets none (Npgsql's own default is
    /// 100, and a node with it alone can overrun PostgreSQL's default <c>max_connections</c> of 100). 20 is what a node
    /// with 128 worker slots keeps busy on a small server; see docs/configuration.md for the sizing rule.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>
    /// The Npgsql <c>Max Auto Prepare</c> the store uses when <see cref="ConnectionString"/> sets none (Npgsql's own
    /// default is 0, no automatic preparation). The store also keeps pooled sessions (<c>No Reset On Close=true</c> unless
    /// the string says otherwise), so prepared statements survive a connection's return to the pool.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 32;

    /// <summary>
    /// The Npgsql connection string. Required. Without <c>Maximum Pool Size</c> the pool holds <see cref="DefaultMaxPoolSize"/>;
    /// without <c>No Reset On Close</c> it is true; without <c>Max Auto Prepare</c> it is <see cref="DefaultMaxAutoPrepare"/>.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema that holds the store's tables; created by the first migration. Defaults to <c>longhaul</c>.</summary>
    public string Schema { get; set; } = "longhaul";

    /// <summary>
    /// Send and receive LISTEN/NOTIFY wake-ups between nodes. A hint only: with it off (for example behind a
    /// transaction-pooling proxy, where LISTEN does not work) every node still finds work, events and cancellations by
    /// polling, only later. Defaults to true.
    /// </summary>
    public bool Notifications { get; set; } = true;

    /// <summary>
    /// Listen to the other nodes' wake-ups for workers: new work and cancel requests. Only a node that runs workers
    /// needs them; the server turns it off for <c>--role api</c>. Defaults to true.
    /// </summary>
    public bool ReceiveWorkNotifications { get; set; } = true;

    /// <summary>
    /// Listen to the other nodes' notices that an operation changed, which wake event streams, <c>wait</c> and
    /// long-polls on this node. Only a node that serves the API needs them; the server turns it off for
    /// <c>--role worker</c>, so a worker is not woken for every write of every other worker. Defaults to true.
    /// </summary>
    public bool ReceiveChangeNotifications { get; set; } = true;

    /// <summary>Apply pending migrations when a server starts (<c>longhaul migrate</c> always does). Defaults to true.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// Test hook only: when set, every statement uses this clock's time instead of the database's <c>now()</c>, so a
    /// test can move the store's clock by hand. Leave it null (the default) everywhere else: production lease arithmetic
    /// must run on the database clock.
    /// </summary>
    public TimeProvider? TestClockOverride { get; set; }
}
