using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// FsCheck generators of requests from the OpenAPI document: for each operation, path parameters (existing ids and
/// junk), query parameters and headers from their schemas (valid values, junk, or left out), and bodies built from
/// the request body's schema, from the kinds' input schemas, or broken (malformed JSON, wrong media type, junk JSON).
/// </summary>
public sealed class RequestGenerator(JsonNode document, IReadOnlyList<string> knownIds)
{
    private static readonly string[] JunkStrings = ["", "-1", "0", "abc", "1e309", "NaN", "true", "2026-13-45T99:00:00Z", new string('z', 300), "%", "a,b,,c", "op_00000000000000000000000000", "../x", "\t"];
    private static readonly string[] JunkBodies = ["{", "[]", "null", "1", "\"x\"", "{\"a\":1,\"a\":2}", "{\"kind\":5}", "{\"s\":\"\\ud800\"}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "{\"lease\":\"x\"}", "{}"];

    /// <summary>Requests to every operation of the document but <paramref name="skip"/> (method, template).</summary>
    public Gen<RequestProbe> Requests(Func<string, string, bool> skip)
    {
        var operations = new List<Gen<RequestProbe>>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation is JsonObject op && !skip(method.ToUpperInvariant(), template)) operations.Add(For(method.ToUpperInvariant(), template, op));
            }
        }
        return Gen.OneOf(operations);
    }

    private Gen<RequestProbe> For(string method, string template, JsonObject operation)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
        var pathParams = parameters.Where(p => (string)p["in"]! == "path").Select(p => (string)p["name"]!).ToList();
        var gens = parameters.Where(p => (string)p["in"]! != "path").Select(p => Value(p["schema"]).Select(v => (Name: (string)p["name"]!, In: (string)p["in"]!, Value: v))).ToList();
        var pathGen = Gen.CollectToList(pathParams.Select(_ => PathValue()));
        var paramGen = Gen.CollectToList(gens.Select(g => Gen.Frequency((2, g.Select(v => (v.Name, v.In, v.Value))), (1, Gen.Constant(("", "", (string?)null))))));
        var bodyGen = Body(operation);
        return pathGen.SelectMany(paths => paramGen.SelectMany(values => bodyGen.Select(body =>
        {
            var path = template;
            for (var i = 0; i < pathParams.Count; i++) path = path.Replace("{" + pathParams[i] + "}", Uri.EscapeDataString(paths[i]), StringComparison.Ordinal);
            var query = string.Join('&', values.Where(v => v.Item2 == "query" && v.Item3 is not null).Select(v => v.Item1 + "=" + Uri.EscapeDataString(v.Item3!)));
            var headers = values.Where(v => v.Item2 == "header" && v.Item3 is not null).Select(v => (v.Item1, v.Item3!)).ToList();
            return new RequestProbe(method, template, query.Length > 0 ? path + "?" + query : path, headers, body.ContentType, body.Bytes) { Operation = operation };
        })));
    }

    private Gen<string> PathValue() => Gen.Frequency(
        (3, Gen.Elements(knownIds.ToArray())),
        (1, Gen.Elements(JunkStrings.Where(s => s.Length > 0).ToArray())),
        (1, Gen.Elements("file.txt", "out.txt", "dl_1", "nowhere", "a/b", "x.y")));

    /// <summary>A value for a query parameter or header: valid by its schema, or junk (ASCII: HTTP headers carry nothing else).</summary>
    private static Gen<string?> Value(JsonNode? schema)
    {
        var valid = new List<string>();
        if (schema?["enum"] is JsonArray values) valid.AddRange(values.Select(v => v!.ToString()));
        var type = (string?)schema?["type"];
        var min = (double?)schema?["minimum"] ?? (double?)schema?["exclusiveMinimum"] ?? 0;
        var max = (double?)schema?["maximum"] ?? min + 5;
        if (type is "integer") valid.AddRange([((long)min).ToString(CultureInfo.InvariantCulture), ((long)Math.Min(max, min + 3)).ToString(CultureInfo.InvariantCulture)]);
        if (type is "number") valid.AddRange([(min + 0.05).ToString(CultureInfo.InvariantCulture), Math.Min(max, min + 0.5).ToString(CultureInfo.InvariantCulture)]);
        if ((string?)schema?["format"] == "date-time") valid.Add("2026-12-06T10:00:00Z");
        if (type is "string" && valid.Count == 0) valid.AddRange(["1.0.0", "0", "running,failed", "sleep", "respond-async, wait=1", "bytes=0-1", "5"]);
        return Gen.Frequency((3, Gen.Elements(valid.Count > 0 ? valid.ToArray() : ["x"])), (2, Gen.Elements(JunkStrings))).Select(v => (string?)v);
    }

    private Gen<(string? ContentType, byte[]? Bytes)> Body(JsonObject operation)
    {
        if (operation["requestBody"]?["content"] is not JsonObject content || content.Count == 0) return Gen.Constant<(string?, byte[]?)>((null, null));
        var (type, media) = content.First();
        var schema = Resolve(media!["schema"]);
        var valid = type == "application/json"
            ? (IsStart(media["schema"]) ? StartBody() : Gen.Constant(Instance(schema, 0)?.ToJsonString() ?? "{}"))
            : Gen.Elements("hello", "", new string('b', 2000));
        return Gen.Frequency(
            (4, valid.Select(b => ((string?)(type.Contains('*') ? "application/octet-stream" : type), (byte[]?)Encoding.UTF8.GetBytes(b)))),
            (2, Gen.Elements(JunkBodies).Select(b => ((string?)"application/json", (byte[]?)Encoding.UTF8.GetBytes(b)))),
            (1, Gen.Elements("text/plain", "application/offset+octet-stream", "application/xml").Select(t => ((string?)t, (byte[]?)Encoding.UTF8.GetBytes("{}")))),
            (1, Gen.Constant<(string?, byte[]?)>((null, null))),
            (1, Gen.Constant<(string?, byte[]?)>(("application/json", [0xff, 0xfe, 0x7b]))));
    }

    private static bool IsStart(JsonNode? schema) => ((string?)schema?["$ref"])?.EndsWith("/StartOperationByKind", StringComparison.Ordinal) == true;

    /// <summary>A start request of a kind of the document, its input built from the kind's schema.</summary>
    private Gen<string> StartBody()
    {
        var kinds = document["x-kinds"]!.AsArray().Select(k => (string)k!).ToArray();
        return Gen.Elements(kinds).Select(kind =>
        {
            var input = Instance(Resolve(document["components"]!["schemas"]!["Kind." + kind + ".Input"]), 0) ?? new JsonObject();
            return new JsonObject { ["kind"] = kind, ["input"] = input }.ToJsonString();
        });
    }

    private JsonNode? Resolve(JsonNode? schema)
    {
        for (var i = 0; i < 5 && schema?["$ref"] is JsonValue r; i++)
        {
            schema = document;
            foreach (var part in ((string)r!)[2..].Split('/')) schema = schema?[part];
        }
        return schema;
    }

    /// <summary>A value meeting the schema's types and required members (bounds and patterns are a best effort).</summary>
    private JsonNode? Instance(JsonNode? schema, int depth)
    {
        schema = Resolve(schema);
        if (schema is null || depth > 6) return null;
        if (schema["enum"] is JsonArray values && values.Count > 0) return values[0]?.DeepClone();
        if (schema["const"] is { } constant) return constant.DeepClone();
        if (schema["allOf"] is JsonArray all) return Instance(all[0], depth + 1);
        var type = schema["type"] switch { JsonArray types => (string?)types.FirstOrDefault(t => (string?)t != "null"), JsonValue t => (string?)t, _ => null };
        var min = (double?)schema["minimum"] ?? (double?)schema["exclusiveMinimum"] + 1 ?? 1;
        switch (type)
        {
            case "object":
            {
                var o = new JsonObject();
                var properties = schema["properties"]?.AsObject();
                foreach (var name in schema["required"]?.AsArray().Select(n => (string)n!) ?? [])
                {
                    o[name] = Instance(properties?[name], depth + 1) ?? "x";
                }
                return o;
            }
            case "array": return new JsonArray(Instance(schema["items"], depth + 1) ?? "x");
            case "integer": return (long)min;
            case "number": return min;
            case "boolean": return false;
            case "string": return (string?)schema["format"] == "date-time" ? "2026-12-06T10:00:00Z" : (string?)schema["pattern"] == "^[a-z0-9_]{1,64}$" ? "boom" : "x";
            default: return null;
        }
    }
}
