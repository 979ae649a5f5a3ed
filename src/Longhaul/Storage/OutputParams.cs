using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>A fenced append of one output chunk.</summary>
public sealed record OutputParams(LeaseRef Lease, JsonElement Chunk);
