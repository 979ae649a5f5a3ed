using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

public sealed record ListResult(IReadOnlyList<Operation> Operations, long? NextCursor);
