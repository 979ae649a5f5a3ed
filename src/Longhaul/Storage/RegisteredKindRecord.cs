namespace Longhaul.Storage;

/// <summary>A remote kind registered at run time by a worker key (<c>PUT /v1/kinds/{name}</c>), as stored: every node reads it.</summary>
/// <param name="Tenant">The tenant it exists for; <see cref="ApiKeyRecord.AllTenants"/> when every tenant sees it (registered by an all-tenant key).</param>
/// <param name="Name">The kind's name.</param>
/// <param name="Description">One line for <c>GET /v1/kinds</c>; null for none.</param>
/// <param name="InputSchema">The JSON Schema of the input as JSON text; null when any JSON object is accepted.</param>
/// <param name="MaxAttempts">Attempts when the client sends no <c>options.max_attempts</c>; null for the engine's default.</param>
/// <param name="TimeoutSeconds">Deadline in seconds when the client sends no <c>options.timeout_seconds</c>; null for none.</param>
/// <param name="CreatedAt">When it was first registered (store clock).</param>
/// <param name="UpdatedAt">When it was last registered (store clock).</param>
public sealed record RegisteredKindRecord(string Tenant, string Name, string? Description, string? InputSchema, int? MaxAttempts, double? TimeoutSeconds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
