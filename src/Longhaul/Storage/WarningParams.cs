using System.Text.Json;

namespace Longhaul.Storage;

/// <summary>A fenced append of one <c>warning</c> event (e.g. the deadline is approaching).</summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Data">The event's data, stored verbatim.</param>
public sealed record WarningParams(LeaseRef Lease, JsonElement Data);
