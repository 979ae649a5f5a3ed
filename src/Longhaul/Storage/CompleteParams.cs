using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced move to a final state: succeeded (with result), failed or cancelled (with error).</summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Status">The final status: succeeded, failed or cancelled.</param>
/// <param name="Result">The result of a succeeded operation.</param>
/// <param name="Error">The error of a failed or cancelled operation.</param>
public sealed record CompleteParams(LeaseRef Lease, OperationStatus Status, JsonElement? Result, OperationError? Error);
