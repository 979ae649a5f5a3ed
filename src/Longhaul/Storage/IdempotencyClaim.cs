using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>An Idempotency-Key to record with a creation.</summary>
/// <param name="RequestHash">Fingerprint of the request body.</param>
/// <param name="Retention">How long the key is remembered.</param>
/// <param name="HoldFor">When set, the key counts as in flight (409 for repeats) until released or this long has passed.</param>
/// <param name="Key">The client's Idempotency-Key, scoped to the tenant.</param>
public sealed record IdempotencyClaim(string Key, string RequestHash, TimeSpan Retention, TimeSpan? HoldFor);
