using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>The operation finished; the last event of every watch.</summary>
/// <param name="Id">Its log position (the last).</param>
/// <param name="Operation">The final resource, with its result or error.</param>
public sealed record OperationDoneEvent(long Id, OperationResource Operation) : OperationEvent(Id);
