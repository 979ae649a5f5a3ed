namespace Longhaul.Storage;

/// <summary>What the reaper reads before a sweep so that remote attempts it ends get their span and run time (ADR 29).</summary>
public partial interface IOperationStore
{
    /// <summary>
    /// Running operations whose lease, held by a remote worker (owner <c>remote/…</c>), has expired (store clock): the
    /// orphans the next <see cref="ReapAsync"/> ends, each with its lease epoch and the time its attempt's claim was
    /// logged. Reads only.
    /// </summary>
    Task<IReadOnlyList<ExpiredLease>> ListExpiredRemoteLeasesAsync(ExpiredLeasesParams p, CancellationToken cancellationToken);
}
