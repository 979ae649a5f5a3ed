using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record CreateParams(NewOperation Operation, IdempotencyClaim? Idempotency);
