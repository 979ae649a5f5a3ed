using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Deletes finished operations older than <see cref="Retention"/> and expired idempotency keys.</summary>
public sealed record PruneParams(TimeSpan Retention, int BatchSize);
