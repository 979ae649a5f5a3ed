using System.Data.Common;
using Longhaul.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Longhaul.Postgres;

/// <summary>
/// At start, before anything else of this node opens a connection: compares this node's most connections with what
/// the server has left, logs the budget, and warns (log and <c>/readyz</c>) when a full pool would overrun it. It
/// never stops the node: the store's own start-up reports an unreachable server.
/// </summary>
internal sealed partial class PostgresConnectionBudgetCheck(
    PostgresOperationStore store, StoreWarnings warnings, ILogger<PostgresConnectionBudgetCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PostgresConnectionBudget budget;
        try
        {
            budget = await store.ReadConnectionBudgetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException)
        {
            LogUnreadable(ex);
            return;
        }
        if (budget.Overrun)
        {
            var message = budget.Describe();
            warnings.Set(PostgresConnectionBudget.WarningCode, message);
            LogOverrun(message);
        }
        else
        {
            LogBudget(budget.NodeMaximum, budget.PoolSize, budget.Dedicated, budget.InUseByOthers, budget.Available);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL connection budget exceeded: {Message}")]
    private partial void LogOverrun(string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL connections: this node opens at most {Maximum} (Maximum Pool Size {Pool} + {Dedicated} dedicated); {InUse} open elsewhere; the server accepts {Available}")]
    private partial void LogBudget(int maximum, int pool, int dedicated, int inUse, int available);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL connection budget: could not read max_connections and pg_stat_activity")]
    private partial void LogUnreadable(Exception ex);
}
