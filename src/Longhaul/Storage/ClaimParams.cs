namespace Longhaul.Storage;

/// <summary>Claims up to <see cref="Max"/> ready operations of the given kinds for <see cref="Owner"/>.</summary>
/// <param name="Owner">The claiming worker's name, stored as the lease owner (informational: the lease epoch fences).</param>
/// <param name="Kinds">Only operations of these kinds are claimed.</param>
/// <param name="Max">At most this many are claimed.</param>
/// <param name="LeaseDuration">How long each lease lasts from now (store clock) unless renewed by a heartbeat.</param>
/// <param name="Tenant">Only this tenant's operations are claimed; null for every tenant's (the in-process engine, all-tenant worker keys).</param>
/// <param name="DefaultMaxRunning">
/// Each tenant's running limit when it has no stored override (<c>Longhaul:Tenants:Defaults:MaxRunning</c>); null: unlimited.
/// </param>
/// <param name="KindCaps">Global running caps per kind (<c>Longhaul:Kinds:{kind}:MaxConcurrency</c>), never exceeded across nodes; null: none.</param>
/// <remarks>
/// Tenants with ready work take turns (start-time fair queuing by each operation's virtual start, ADR 0025); priority
/// orders work within a tenant. Tenant running limits and concurrency keys are never exceeded, across nodes.
/// </remarks>
public sealed record ClaimParams(string Owner, IReadOnlyList<string> Kinds, int Max, TimeSpan LeaseDuration, string? Tenant = null, int? DefaultMaxRunning = null,
    IReadOnlyDictionary<string, int>? KindCaps = null);
