using System.Text.Json;

namespace Longhaul.Contracts;

/// <summary>Why an operation failed or was cancelled.</summary>
public sealed record OperationError
{
    /// <summary>A stable, machine-readable code, for example <c>deadline_exceeded</c> or a handler's own.</summary>
    public required string Code { get; init; }
    /// <summary>For people; never an exception's text.</summary>
    public required string Message { get; init; }
    /// <summary>Structured details a handler attached (<c>PermanentFailureException.Details</c>); null when none.</summary>
    public JsonElement? Details { get; init; }
}
