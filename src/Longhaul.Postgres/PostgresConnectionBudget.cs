using System.Globalization;

namespace Longhaul.Postgres;

/// <summary>
/// How many connections this node may open against how many the PostgreSQL server has left. A node opens at most its
/// Npgsql pool (<c>Maximum Pool Size</c>) plus <see cref="Dedicated"/> connections outside it (the maintenance leader's
/// advisory lock, and with notifications on the LISTEN session and the notification sender).
/// </summary>
/// <param name="MaxConnections">The server's <c>max_connections</c>.</param>
/// <param name="Reserved">Slots ordinary roles cannot use (<c>superuser_reserved_connections</c>, <c>reserved_connections</c>).</param>
/// <param name="InUseByOthers">Client connections open when the node started, before it opened any but the one asking.</param>
/// <param name="PoolSize">This node's <c>Maximum Pool Size</c>.</param>
/// <param name="Dedicated">This node's connections outside the pool.</param>
public sealed record PostgresConnectionBudget(int MaxConnections, int Reserved, int InUseByOthers, int PoolSize, int Dedicated)
{
    /// <summary>The problem code under which <c>/readyz</c> lists an overrun.</summary>
    public const string WarningCode = "connection_budget";

    /// <summary>What ordinary roles may open in all.</summary>
    public int Available => MaxConnections - Reserved;

    /// <summary>The most this node opens: its pool full, plus its dedicated sessions.</summary>
    public int NodeMaximum => PoolSize + Dedicated;

    /// <summary>True when this node, its pool full, would push the server past its limit given what is open already.</summary>
    public bool Overrun => InUseByOthers + NodeMaximum > Available;

    /// <summary>The largest <c>Maximum Pool Size</c> that fits beside what is open now (0 or less: no room at all).</summary>
    public int LargestFittingPool => Available - InUseByOthers - Dedicated;

    /// <summary>The warning logged at start and listed by <c>/readyz</c>: the numbers and the settings to change.</summary>
    public string Describe()
    {
        var fit = LargestFittingPool > 0
            ? string.Create(CultureInfo.InvariantCulture, $"lower 'Maximum Pool Size' in Longhaul:Postgres:ConnectionString to {LargestFittingPool} or less")
            : "free connections on the server";
        var numbers = string.Create(CultureInfo.InvariantCulture,
            $"This node may open {NodeMaximum} PostgreSQL connections (Maximum Pool Size {PoolSize} + {Dedicated} dedicated), {InUseByOthers} are open already and the server accepts {Available} (max_connections {MaxConnections} - {Reserved} reserved)");
        return $"{numbers}: under load, writes can fail with 53300 'too many clients'. Either {fit}, or raise max_connections on the server (every node needs its pool + {Dedicated.ToString(CultureInfo.InvariantCulture)}; see docs/configuration.md).";
    }
}
