namespace Longhaul.Storage;

/// <summary>A node heard from a remote worker (a claim or a heartbeat).</summary>
/// <param name="Tenant">The worker key's tenant; <see cref="ApiKeyRecord.AllTenants"/> for an every-tenant key.</param>
/// <param name="Name">The name the worker gives itself (its leases' owner is <c>remote/{name}</c>).</param>
/// <param name="KeyId">The id of the key it used (never the secret); null without keys.</param>
/// <param name="Kinds">The kinds it claims; null to keep the stored ones (a heartbeat names none).</param>
/// <param name="Node">The node that heard from it.</param>
/// <param name="Claimed">True for a claim: its last claim time is set too.</param>
public sealed record RecordWorkerParams(string Tenant, string Name, string? KeyId, IReadOnlyList<string>? Kinds, string Node, bool Claimed);
