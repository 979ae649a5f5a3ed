using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced move to a final state: succeeded (with result), failed or cancelled (with error).</summary>
public sealed record CompleteParams(LeaseRef Lease, OperationStatus Status, JsonElement? Result, OperationError? Error);
