using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>The whole resource as it stood at <paramref name="Id"/>: the first event of a watch opened without a position.</summary>
/// <param name="Id">The log position the snapshot reflects.</param>
/// <param name="Operation">The resource.</param>
public sealed record OperationSnapshotEvent(long Id, OperationResource Operation) : OperationEvent(Id);
