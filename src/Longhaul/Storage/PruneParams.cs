using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Deletes finished operations older than <see cref="Retention"/>, expired idempotency keys and workers unheard of for <see cref="WorkerRetention"/>.</summary>
/// <param name="Retention">How long finished operations are kept after they finished.</param>
/// <param name="BatchSize">At most this many operations are deleted per call.</param>
/// <param name="WorkerRetention">How long a remote worker unheard of stays in the worker registry; null for a day.</param>
public sealed record PruneParams(TimeSpan Retention, int BatchSize, TimeSpan? WorkerRetention = null)
{
    /// <summary>The default of <see cref="WorkerRetention"/>: a day.</summary>
    public static readonly TimeSpan DefaultWorkerRetention = TimeSpan.FromDays(1);
}
