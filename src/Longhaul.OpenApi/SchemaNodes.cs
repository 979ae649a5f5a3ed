using System.Text.Json;
using System.Text.Json.Nodes;

namespace Longhaul.OpenApi;

/// <summary>
/// Rewrites boolean subschemas (<c>true</c>, <c>false</c>), which JSON Schema allows and the OpenAPI object model
/// does not read, as <c>{}</c> and <c>{"not":{}}</c> (same meaning); <c>additionalProperties</c> keeps its boolean.
/// </summary>
internal static class SchemaNodes
{
    private static readonly HashSet<string> Single = ["items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "additionalItems"];
    private static readonly HashSet<string> Lists = ["allOf", "anyOf", "oneOf", "prefixItems"];
    private static readonly HashSet<string> Maps = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

    /// <summary>The schema with every boolean subschema written as an object.</summary>
    public static JsonNode Normalize(JsonNode? schema)
    {
        if (schema is JsonValue v) return v.GetValueKind() == JsonValueKind.False ? new JsonObject { ["not"] = new JsonObject() } : new JsonObject();
        if (schema is not JsonObject o) return new JsonObject();
        foreach (var (key, value) in o.ToList())
        {
            if (Single.Contains(key)) o[key] = Normalize(value?.DeepClone());
            else if (key == "additionalProperties" && value is JsonObject) o[key] = Normalize(value.DeepClone());
            else if (Lists.Contains(key) && value is JsonArray list) o[key] = new JsonArray([.. list.Select(item => Normalize(item?.DeepClone()))]);
            else if (Maps.Contains(key) && value is JsonObject map)
            {
                var normalized = new JsonObject();
                foreach (var (name, sub) in map) normalized[name] = Normalize(sub?.DeepClone());
                o[key] = normalized;
            }
        }
        return o;
    }
}
