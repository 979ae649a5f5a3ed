using Longhaul.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Longhaul.Maintenance;

/// <summary>Before anything else starts: migrate the schema, and on a single-owner store take back the leases of the previous life.</summary>
internal sealed partial class StoreInitializer(IOperationStore store, IOptions<LonghaulEngineOptions> options, ILogger<StoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart) await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (store.OwnsAllLeases)
        {
            var reaped = await store.ReapAsync(new ReapParams(AllLeasesOf: true), cancellationToken).ConfigureAwait(false);
            if (reaped.Requeued + reaped.Failed > 0) LogRecovered(reaped.Requeued, reaped.Failed);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered {Requeued} operation(s) left running by the previous process ({Failed} had no attempts left and failed)")]
    private partial void LogRecovered(int requeued, int failed);
}
