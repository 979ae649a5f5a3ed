namespace Longhaul.Storage;

/// <summary>Registers (or registers again, replacing) a remote kind; see <see cref="RegisteredKindRecord"/> for the fields.</summary>
/// <param name="Tenant">The tenant it exists for, or <see cref="ApiKeyRecord.AllTenants"/>.</param>
/// <param name="Name">The kind's name.</param>
/// <param name="Description">One line; null for none.</param>
/// <param name="InputSchema">The input's JSON Schema as JSON text; null for none.</param>
/// <param name="MaxAttempts">The default attempts; null for the engine's.</param>
/// <param name="TimeoutSeconds">The default deadline in seconds; null for none.</param>
public sealed record PutRegisteredKindParams(string Tenant, string Name, string? Description, string? InputSchema, int? MaxAttempts, double? TimeoutSeconds);
