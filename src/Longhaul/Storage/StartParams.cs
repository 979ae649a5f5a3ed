using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Starts one operation, with an idempotency key when the client sent one.</summary>
/// <param name="Operation">The operation to store.</param>
/// <param name="Idempotency">The key to check and record; null without one.</param>
public sealed record StartParams(OperationToStart Operation, IdempotencyClaim? Idempotency);
