using System.Diagnostics;
using Longhaul.Storage;

namespace Longhaul.AspNetCore.Workers;

/// <summary>What a verified lease token names: the operation, its lease epoch, its tenant, its deadline and its attempt's telemetry.</summary>
/// <param name="Id">The operation's id.</param>
/// <param name="Epoch">The lease epoch the claim took; a later claim makes it stale.</param>
/// <param name="Tenant">The operation's tenant (a worker key of another tenant is refused).</param>
/// <param name="DeadlineAt">The operation's deadline, when it has one.</param>
/// <param name="ClaimedAt">When the claim committed (the attempt's start for its span and run time); null in a token from before it was carried.</param>
/// <param name="WarnAt">When the attempt passes the deadline warning fraction; null without a deadline or a warning.</param>
/// <param name="Claim">The claim span's context, the parent of the attempt's span (and of the worker's own spans); null when tracing was off at claim.</param>
internal sealed record LeaseToken(string Id, long Epoch, string Tenant, DateTimeOffset? DeadlineAt,
    DateTimeOffset? ClaimedAt = null, DateTimeOffset? WarnAt = null, ActivityContext? Claim = null)
{
    /// <summary>The lease as the store's fenced writes take it.</summary>
    public LeaseRef Lease => new(Id, Epoch);
}
