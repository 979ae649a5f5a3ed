using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Longhaul.Contracts;

namespace Longhaul;

/// <summary>JSON settings for user-defined payloads (inputs, checkpoints, results): snake_case, like the wire.</summary>
public static class LonghaulJsonDefaults
{
    /// <summary>The shared options (web defaults, snake_case names); do not modify.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(LonghaulJson.Default, new DefaultJsonTypeInfoResolver()),
        Converters = { new UtcTimestampConverter() },
    };

    /// <summary><c>{}</c>, the input of a start that gives none: parsed once (a cloned <see cref="JsonElement"/> is immutable and safe to share).</summary>
    internal static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();
}
