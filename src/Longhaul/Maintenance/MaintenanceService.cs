using Longhaul.Storage;
using Longhaul.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Longhaul.Maintenance;

/// <summary>
/// The reaper (expired leases, missed deadlines) every sweep, and retention pruning once a minute, on the node
/// <see cref="IMaintenanceLeadership"/> elects (every node for a single-node store).
/// </summary>
internal sealed partial class MaintenanceService(
    IOperationStore store, IMaintenanceLeadership leadership, TimeProvider time, IOptions<LonghaulEngineOptions> options, LonghaulMetrics metrics,
    ReapedAttemptTelemetry reapedAttempts, ILogger<MaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private const int PruneBatch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var lastPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(o.ReaperInterval, time, stoppingToken).ConfigureAwait(false);
                if (!await leadership.IsLeaderAsync(stoppingToken).ConfigureAwait(false)) continue;
                var expired = await reapedAttempts.BeforeSweepAsync(stoppingToken).ConfigureAwait(false);
                var reaped = await store.ReapAsync(new ReapParams(), stoppingToken).ConfigureAwait(false);
                if (reaped.Requeued + reaped.Failed > 0)
                {
                    LogReaped(reaped.Requeued, reaped.Failed);
                    metrics.Reaped(reaped.Requeued, reaped.Failed);
                }
                if (expired.Count > 0) await reapedAttempts.AfterSweepAsync(expired, stoppingToken).ConfigureAwait(false);
                if (time.GetUtcNow() - lastPrune >= PruneEvery)
                {
                    lastPrune = time.GetUtcNow();
                    // Small batches keep each write short; loop while a batch comes back full.
                    int pruned, total = 0;
                    do
                    {
                        pruned = await store.PruneAsync(new PruneParams(o.Retention, PruneBatch), stoppingToken).ConfigureAwait(false);
                        total += pruned;
                    }
                    while (pruned == PruneBatch);
                    if (total > 0) LogPruned(total);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reaper: {Requeued} orphaned operation(s) returned to pending, {Failed} failed")]
    private partial void LogReaped(int requeued, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: {Count} finished operation(s) deleted")]
    private partial void LogPruned(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Maintenance sweep failed")]
    private partial void LogFailed(Exception ex);
}
