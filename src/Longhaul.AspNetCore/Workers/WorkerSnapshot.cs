namespace Longhaul.AspNetCore.Workers;

/// <summary>One remote worker as <c>GET /v1/workers</c> shows it.</summary>
internal sealed record WorkerSnapshot(string Name, string Tenant, string? KeyId, IReadOnlyList<string> Kinds, DateTimeOffset? LastClaimAt,
    DateTimeOffset LastSeenAt, int Running, bool Gone);
