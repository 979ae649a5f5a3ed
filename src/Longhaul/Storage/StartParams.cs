using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record StartParams(OperationToStart Operation, IdempotencyClaim? Idempotency);
