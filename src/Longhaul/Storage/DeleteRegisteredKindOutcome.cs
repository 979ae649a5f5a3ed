namespace Longhaul.Storage;

/// <summary>What <see cref="IOperationStore.DeleteRegisteredKindAsync"/> did.</summary>
public enum DeleteRegisteredKindOutcome
{
    /// <summary>The kind is deleted.</summary>
    Deleted,

    /// <summary>No kind of that tenant and name is registered; nothing changed.</summary>
    NotFound,

    /// <summary>Operations of the kind are unfinished and the delete was not forced; nothing changed.</summary>
    InUse,
}
