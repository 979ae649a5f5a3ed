using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Deletes finished operations older than <see cref="Retention"/> and expired idempotency keys.</summary>
/// <param name="Retention">How long finished operations are kept after they finished.</param>
/// <param name="BatchSize">At most this many operations are deleted per call.</param>
public sealed record PruneParams(TimeSpan Retention, int BatchSize);
