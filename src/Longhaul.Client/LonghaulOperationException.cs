using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>An operation ended without a result: <see cref="OperationFailedException"/> or <see cref="OperationCancelledException"/>.</summary>
public abstract class LonghaulOperationException : Exception
{
    /// <summary>For the final <paramref name="operation"/>, with a message naming its id, status and error.</summary>
    protected LonghaulOperationException(OperationResource operation)
        : base($"Operation {operation?.Id} {operation?.Status.ToWire()}: {operation?.Error?.Code} {operation?.Error?.Message}".TrimEnd())
    {
        ArgumentNullException.ThrowIfNull(operation);
        Operation = operation;
    }

    /// <summary>The final resource.</summary>
    public OperationResource Operation { get; }

    /// <summary>The operation's id.</summary>
    public string OperationId => Operation.Id;

    /// <summary>The server's error code (for example <c>deadline_exceeded</c>, <c>attempts_exhausted</c>, <c>cancelled</c> or a handler's own); null when it sent none.</summary>
    public string? ErrorCode => Operation.Error?.Code;

    /// <summary>The server's error, with its message and details; null when it sent none.</summary>
    public OperationError? Error => Operation.Error;
}
