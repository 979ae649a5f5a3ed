using Longhaul.Storage;

namespace Longhaul.AspNetCore.Workers;

/// <summary>What a verified lease token names: the operation, its lease epoch, its tenant and its deadline.</summary>
/// <param name="Id">The operation's id.</param>
/// <param name="Epoch">The lease epoch the claim took; a later claim makes it stale.</param>
/// <param name="Tenant">The operation's tenant (a worker key of another tenant is refused).</param>
/// <param name="DeadlineAt">The operation's deadline, when it has one.</param>
internal sealed record LeaseToken(string Id, long Epoch, string Tenant, DateTimeOffset? DeadlineAt)
{
    /// <summary>The lease as the store's fenced writes take it.</summary>
    public LeaseRef Lease => new(Id, Epoch);
}
