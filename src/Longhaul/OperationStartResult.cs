namespace Longhaul;

/// <summary>What <see cref="IOperationStarter.StartAsync"/> did.</summary>
/// <param name="Operation">The operation started, or the one started before under the same idempotency key.</param>
/// <param name="Replayed">True when the idempotency key was already used for the same start, so nothing new was started.</param>
public sealed record OperationStartResult(Operation Operation, bool Replayed);
