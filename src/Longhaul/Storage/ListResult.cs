using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>One page of operations.</summary>
/// <param name="Operations">The page, newest first.</param>
/// <param name="NextCursor">Pass as <see cref="ListParams.BeforeCursor"/> for the next page; null on the last page.</param>
public sealed record ListResult(IReadOnlyList<Operation> Operations, long? NextCursor);
