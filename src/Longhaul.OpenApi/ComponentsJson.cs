using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Longhaul.AspNetCore.OpenApi;
using Longhaul.Contracts;

namespace Longhaul.OpenApi;

/// <summary>The document's components: the wire types' schemas (exported from their serializer), the hand-written ones, headers and the API key scheme.</summary>
internal static class ComponentsJson
{
    private static readonly Type[] WireTypes =
    [
        typeof(OperationResource), typeof(OperationList), typeof(StartOperationRequest), typeof(KindList), typeof(OverviewResource),
        typeof(StorageUsageResource), typeof(UploadResource), typeof(Problem), typeof(WebhookDeliveryList), typeof(WebhookSecretList),
        typeof(OperationError), typeof(TenantList), typeof(TenantLimitsResource), typeof(TenantLimitValues), typeof(UsageList),
    ];

    /// <summary>The components object (without the kinds' input schemas, which <see cref="KindSchemas"/> adds).</summary>
    public static JsonObject Build()
    {
        var schemas = new JsonObject();
        foreach (var type in WireTypes) schemas[type.Name] = Export(type);
        foreach (var (name, literal) in ApiSchemas.All) schemas[name] = JsonNode.Parse(literal);
        var headers = new JsonObject();
        foreach (var (name, (schema, description)) in ApiHeaders.All) headers[name] = new JsonObject { ["description"] = description, ["schema"] = JsonNode.Parse(schema) };
        return new JsonObject
        {
            ["schemas"] = schemas,
            ["headers"] = headers,
            ["securitySchemes"] = new JsonObject
            {
                ["apiKey"] = new JsonObject
                {
                    ["type"] = "http", ["scheme"] = "bearer",
                    ["description"] = "`Authorization: Bearer <api key>` (`longhaul keys create`). With no keys configured the server runs in single-tenant development mode and needs none.",
                },
            },
        };
    }

    /// <summary>The JSON Schema of a wire type as the server serializes it (snake_case, RFC 3339 UTC timestamps).</summary>
    public static JsonNode Export(Type type)
    {
        var node = LonghaulJson.Default.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, schema) =>
            {
                var t = context.TypeInfo.Type;
                var underlying = Nullable.GetUnderlyingType(t) ?? t;
                if (underlying == typeof(DateTimeOffset))
                {
                    return new JsonObject { ["type"] = t != underlying ? new JsonArray("string", "null") : "string", ["format"] = "date-time" };
                }
                if (underlying == typeof(JsonElement)) return new JsonObject();
                return schema is JsonValue v && v.GetValueKind() == JsonValueKind.True ? new JsonObject() : schema;
            },
        });
        if (node is JsonObject o) o.Remove("$schema");
        return SchemaNodes.Normalize(node);
    }
}
