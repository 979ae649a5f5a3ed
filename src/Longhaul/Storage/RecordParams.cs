using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced write of progress and/or a checkpoint.</summary>
public sealed record RecordParams(LeaseRef Lease, ProgressInfo? Progress, DateTimeOffset? EstimatedCompletion, JsonElement? Checkpoint);
