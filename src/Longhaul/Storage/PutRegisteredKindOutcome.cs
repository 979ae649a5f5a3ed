namespace Longhaul.Storage;

/// <summary>What <see cref="IOperationStore.PutRegisteredKindAsync"/> did.</summary>
public enum PutRegisteredKindOutcome
{
    /// <summary>The kind was new: stored.</summary>
    Created,

    /// <summary>The kind existed for the same tenant (or for every tenant): replaced, its creation time kept.</summary>
    Updated,

    /// <summary>
    /// Nothing changed: the name is taken in an overlapping scope (a tenant's kind when an every-tenant kind of that
    /// name exists, or an every-tenant kind when some tenant has one of that name).
    /// </summary>
    Conflict,
}
