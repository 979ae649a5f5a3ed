namespace Longhaul.Storage;

/// <summary>What <see cref="IOperationStore.DeleteRegisteredKindAsync"/> did, and the kind's unfinished operations when it looked.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Unfinished">
/// The kind's pending and running operations (tenant and id) in its scope when the delete ran: those that made it
/// <see cref="DeleteRegisteredKindOutcome.InUse"/>, or those a forced delete leaves for the caller to cancel.
/// </param>
public sealed record DeleteRegisteredKindResult(DeleteRegisteredKindOutcome Outcome, IReadOnlyList<(string Tenant, string Id)> Unfinished);
