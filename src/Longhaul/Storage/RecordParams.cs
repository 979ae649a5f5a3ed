using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced write of progress and/or a checkpoint.</summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Progress">The progress to store, or null to keep it.</param>
/// <param name="EstimatedCompletion">Stored with the progress (ignored without it).</param>
/// <param name="Checkpoint">The checkpoint to store, or null to keep it.</param>
public sealed record RecordParams(LeaseRef Lease, ProgressInfo? Progress, DateTimeOffset? EstimatedCompletion, JsonElement? Checkpoint);
