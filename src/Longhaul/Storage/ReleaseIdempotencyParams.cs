using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Ends the in-flight hold of an idempotency key.</summary>
/// <param name="Tenant">The tenant the key belongs to.</param>
/// <param name="Key">The client's Idempotency-Key.</param>
public sealed record ReleaseIdempotencyParams(string Tenant, string Key);
