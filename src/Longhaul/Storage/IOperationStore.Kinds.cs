namespace Longhaul.Storage;

/// <summary>Remote kinds registered at run time by worker keys: stored, so every node knows them.</summary>
public partial interface IOperationStore
{
    /// <summary>
    /// Stores the kind, or replaces the one of the same tenant and name (keeping its creation time); refused
    /// (<see cref="PutRegisteredKindOutcome.Conflict"/>, nothing changed) when the name is taken in an overlapping scope.
    /// Two registrations of one name at once take turns.
    /// </summary>
    Task<PutRegisteredKindOutcome> PutRegisteredKindAsync(PutRegisteredKindParams p, CancellationToken cancellationToken);

    /// <summary>The kind the tenant sees under that name (its own before an every-tenant one); null when there is none.</summary>
    Task<RegisteredKindRecord?> FindRegisteredKindAsync(FindRegisteredKindParams p, CancellationToken cancellationToken);

    /// <summary>
    /// The kinds <paramref name="tenant"/> sees (its own and every-tenant ones), ordered by name then tenant;
    /// <see cref="ApiKeyRecord.AllTenants"/> lists every tenant's.
    /// </summary>
    Task<IReadOnlyList<RegisteredKindRecord>> ListRegisteredKindsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the kind of exactly that tenant and name, in one write with the look at its unfinished operations (of
    /// that tenant, or of every tenant for an every-tenant kind): refused (<see cref="DeleteRegisteredKindOutcome.InUse"/>,
    /// nothing changed) when there are some and the delete is not forced.
    /// </summary>
    Task<DeleteRegisteredKindResult> DeleteRegisteredKindAsync(DeleteRegisteredKindParams p, CancellationToken cancellationToken);
}
