using System.Text.Json;

namespace Longhaul;

/// <summary>One entry of an operation's event log. <see cref="Seq"/> is gap-free per operation, starting at 1.</summary>
public sealed record OperationEvent(long Seq, string Type, JsonElement? Data, DateTimeOffset CreatedAt);
