using System.Text.Json;

namespace Longhaul;

/// <summary>
/// User code for one kind of operation. Return = succeeded; throw <see cref="PermanentFailureException"/> = failed
/// without retry; any other exception = retried by policy until max attempts. Honour the cancellation token: it fires
/// on a user cancel, on the deadline, on shutdown (the operation is handed back) and when the lease is lost;
/// <see cref="OperationContext.StopReason"/> says which. For the common case derive from
/// <see cref="OperationHandler{TInput, TResult}"/>, which generates the schema and validates the input from a type;
/// implement this interface directly only where the input cannot be described by a type.
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

    /// <summary>
    /// The kind's settings declared in code (default attempts, timeout, retry delays, slots); configuration under
    /// <c>Longhaul:Kinds:{kind}</c> overrides each one. Read once at start-up. Defaults to null: the engine's defaults.
    /// </summary>
    OperationKindOptions? Defaults => null;

    /// <summary>
    /// True for a remote kind: its work is done by workers outside the server, over the worker protocol
    /// (<c>POST /v1/workers/claim</c>), so the in-process engine never claims it and never calls
    /// <see cref="ExecuteAsync"/>. Defaults to false.
    /// </summary>
    bool IsRemote => false;

    /// <summary>Runs one attempt. The returned value is serialized as the result.</summary>
    Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken);
}
