using System.Text.Json;

namespace Longhaul;

/// <summary>
/// User code for one kind of operation. Return = succeeded; throw <see cref="PermanentFailureException"/> = failed
/// without retry; any other exception = retried by policy until max attempts. Honour the cancellation token: it fires
/// on a user cancel, on the deadline, on shutdown (the operation is handed back) and when the lease is lost;
/// <see cref="OperationContext.StopReason"/> says which.
/// </summary>
public interface IOperationHandler
{
    /// <summary>The kind name clients send, e.g. <c>sleep</c>.</summary>
    string Kind { get; }

    /// <summary>One line for <c>GET /v1/kinds</c>.</summary>
    string? Description { get; }

    /// <summary>JSON Schema of the input, shown by <c>GET /v1/kinds</c>.</summary>
    JsonElement? InputSchema { get; }

    /// <summary>Checks the input before the operation is stored. Returns field errors, or null when valid.</summary>
    IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input);

    /// <summary>Runs one attempt. The returned value is serialized as the result.</summary>
    Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken);
}
