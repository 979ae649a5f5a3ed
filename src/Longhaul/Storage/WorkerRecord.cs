namespace Longhaul.Storage;

/// <summary>A remote worker as the registry holds it.</summary>
/// <param name="Tenant">The worker key's tenant; <see cref="ApiKeyRecord.AllTenants"/> for an every-tenant key.</param>
/// <param name="Name">The worker's name.</param>
/// <param name="KeyId">The id of the key it last used; null without keys.</param>
/// <param name="Kinds">The kinds of its last claim; empty when it was heard only heartbeating.</param>
/// <param name="Node">The node that last heard from it.</param>
/// <param name="FirstSeenAt">When a node first heard from it (store clock).</param>
/// <param name="LastSeenAt">When a node last recorded hearing from it (store clock; recorded at most every few seconds).</param>
/// <param name="LastClaimAt">When it last claimed (as recorded); null when never.</param>
/// <param name="Leases">The unexpired leases it holds now (on the asking tenant's operations).</param>
/// <param name="AsOf">The store's clock when the list was read, to compare <paramref name="LastSeenAt"/> with.</param>
public sealed record WorkerRecord(string Tenant, string Name, string? KeyId, IReadOnlyList<string> Kinds, string Node, DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt, DateTimeOffset? LastClaimAt, int Leases, DateTimeOffset AsOf);
