using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced append of one output chunk.</summary>
/// <param name="Lease">The operation and the lease epoch the worker holds it under.</param>
/// <param name="Chunk">The chunk, stored as the event's data verbatim.</param>
public sealed record OutputParams(LeaseRef Lease, JsonElement Chunk);
