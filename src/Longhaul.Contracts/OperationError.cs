using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>Why an operation failed or was cancelled.</summary>
public sealed record OperationError
{
    public required string Code { get; init; }
    public required string Message { get; init; }
    public JsonElement? Details { get; init; }
}
