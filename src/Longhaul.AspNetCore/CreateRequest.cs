using System.Text.Json;

namespace Longhaul.AspNetCore;

/// <summary>A validated <c>POST /v1/operations</c> body.</summary>
internal sealed record CreateRequest(string Kind, JsonElement Input, JsonElement? Metadata, int? MaxAttempts, double? TimeoutSeconds, int Priority);
