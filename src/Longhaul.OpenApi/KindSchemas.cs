using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Longhaul.Storage;

namespace Longhaul.OpenApi;

/// <summary>
/// Each kind's input schema in the document, read at each fetch: the node's built-in and configured kinds, and the
/// remote kinds registered at run time for every tenant. Kinds one tenant registered are that tenant's data: the
/// document (served without a key) leaves them out; <c>GET /v1/kinds</c> shows them to their tenant.
/// </summary>
internal static partial class KindSchemas
{
    /// <summary>Adds <c>Kind.{name}.Input</c> schemas and narrows the start request's body by kind.</summary>
    public static async Task AddAsync(JsonObject document, OperationHandlerRegistry registry, IOperationStore store, CancellationToken cancellationToken)
    {
        var kinds = new List<(string Name, string? Description, JsonElement? Schema)>();
        foreach (var handler in registry.Handlers) kinds.Add((handler.Kind, handler.Description, handler.InputSchema));
        var registered = await store.ListRegisteredKindsAsync(ApiKeyRecord.AllTenants, cancellationToken).ConfigureAwait(false);
        foreach (var kind in registered.Where(k => k.Tenant == ApiKeyRecord.AllTenants && !registry.TryGet(k.Name, out _)))
        {
            kinds.Add((kind.Name, kind.Description, kind.InputSchema is null ? null : JsonDocument.Parse(kind.InputSchema).RootElement.Clone()));
        }
        var schemas = document["components"]!["schemas"]!.AsObject();
        var variants = new JsonArray();
        var names = new JsonArray();
        foreach (var (name, description, schema) in kinds)
        {
            var component = "Kind." + Unsafe().Replace(name, "_") + ".Input";
            var input = schema is { } s ? Component(JsonNode.Parse(s.GetRawText()), component) : new JsonObject();
            if (input is JsonObject o && description is not null && !o.ContainsKey("description")) o["description"] = description;
            schemas[component] = input;
            names.Add(name);
            variants.Add(new JsonObject
            {
                ["title"] = name,
                ["properties"] = new JsonObject { ["kind"] = new JsonObject { ["const"] = name }, ["input"] = new JsonObject { ["$ref"] = "#/components/schemas/" + component } },
            });
        }
        // Kinds a tenant registered (not in the document) may be started too; the server validates their input.
        variants.Add(new JsonObject { ["title"] = "a kind registered by the caller's tenant", ["properties"] = new JsonObject { ["kind"] = new JsonObject { ["not"] = new JsonObject { ["enum"] = names.DeepClone() } } } });
        schemas["StartOperationByKind"] = new JsonObject
        {
            ["description"] = "The start request, with `input` checked against the schema of its `kind`.",
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/StartOperationRequest" }, new JsonObject { ["anyOf"] = variants }),
        };
        document["x-kinds"] = names;
    }

    /// <summary>A kind's schema as a component: boolean schemas as objects, no <c>$schema</c>/<c>$id</c>, local <c>$ref</c>s re-rooted.</summary>
    private static JsonNode Component(JsonNode? schema, string component)
    {
        if (SchemaNodes.Normalize(schema) is not JsonObject root) return new JsonObject();
        root.Remove("$schema");
        root.Remove("$id");
        Reroot(root, "#/components/schemas/" + component);
        return root;
    }

    private static void Reroot(JsonNode? node, string prefix)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key == "$ref" && value is JsonValue r && r.TryGetValue<string>(out var target) && target.StartsWith('#')) o[key] = prefix + target[1..];
                    else Reroot(value, prefix);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Reroot(item, prefix);
                break;
        }
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}
