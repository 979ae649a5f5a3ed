using System.Text.Json.Nodes;
using Longhaul.AspNetCore.OpenApi;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Longhaul.OpenApi;

/// <summary>One operation object of the document, from an endpoint's <see cref="ApiDoc"/>, its route and its method.</summary>
internal static class OperationJson
{
    private static readonly string[] BodyCodes = [ProblemCodes.MalformedJson, ProblemCodes.JsonTooDeep, ProblemCodes.InvalidUnicode, ProblemCodes.DuplicateMember];

    /// <summary>The OpenAPI path of a route: <c>{**path}</c> → <c>{path}</c>, <c>{file?}</c> → <c>{file}</c>, constraints dropped.</summary>
    public static string Path(RoutePattern pattern)
    {
        var parts = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        })));
        return "/" + string.Join('/', parts);
    }

    /// <summary>The operation object for <paramref name="method"/> (lower case) of an endpoint.</summary>
    public static JsonObject Build(ApiDoc doc, RoutePattern pattern, string method, bool severalMethods)
    {
        var op = new JsonObject
        {
            ["operationId"] = severalMethods ? doc.Id + char.ToUpperInvariant(method[0]) + method[1..] : doc.Id,
            ["tags"] = new JsonArray(doc.Tag),
            ["summary"] = doc.Summary,
        };
        if (doc.Description is not null) op["description"] = doc.Description;
        var parameters = new JsonArray();
        foreach (var p in pattern.Parameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = p.Name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" },
                ["description"] = p.IsCatchAll ? "The rest of the path (may contain `/`)." : (doc.PathParameters.GetValueOrDefault(p.Name) ?? $"The {p.Name}."),
            });
        }
        foreach (var p in doc.Parameters)
        {
            parameters.Add(new JsonObject { ["name"] = p.Name, ["in"] = p.In, ["required"] = p.Required, ["description"] = p.Description, ["schema"] = Schema(p.Schema) });
        }
        if (parameters.Count > 0) op["parameters"] = parameters;
        var head = method == "head";
        if (doc.Body is { } body && method is not ("get" or "head" or "delete"))
        {
            op["requestBody"] = new JsonObject { ["required"] = body.Required, ["content"] = new JsonObject { [body.ContentType] = new JsonObject { ["schema"] = Schema(body.Schema) } } };
        }
        var responses = new SortedDictionary<string, (ApiResponse Response, List<string> Codes)>(StringComparer.Ordinal);
        void Add(ApiResponse response)
        {
            var key = response.Status < 0 ? "default" : response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (responses.TryGetValue(key, out var existing)) existing.Codes.AddRange(response.Codes.Where(c => !existing.Codes.Contains(c)));
            else responses[key] = (response, [.. response.Codes]);
        }
        foreach (var r in doc.Responses) Add(r);
        if (doc.Access != ApiAccess.Anonymous)
        {
            Add(ApiResponse.Problem(401, "No API key, or a wrong one (with keys configured).", ProblemCodes.Unauthorized));
            Add(ApiResponse.Problem(403, doc.Access switch
            {
                ApiAccess.WorkerKey => "Not a worker key, or a kind the key may not use.",
                ApiAccess.OperatorKey => "Not an operator key.",
                ApiAccess.ClientOrOperatorKey => "A worker key, or a client key asking for another tenant.",
                _ => "A worker or operator key (client keys only), or an embedding app's user without a tenant.",
            }, ProblemCodes.WrongKeyScope, ProblemCodes.Forbidden));
            Add(ApiResponse.Problem(429, "Too many requests with a wrong API key from this client address (`Retry-After`: when the block ends).", ProblemCodes.AuthRateLimited) with { Headers = ["Retry-After"] });
        }
        if (doc.Body is { IsJson: true } && !head)
        {
            Add(ApiResponse.Problem(400, "Malformed JSON, or JSON that is not I-JSON (RFC 7493).", BodyCodes));
            Add(ApiResponse.Problem(413, "A body over the configured limit.", ProblemCodes.BodyTooLarge));
            Add(ApiResponse.Problem(415, "Not `application/json`.", ProblemCodes.UnsupportedMediaType));
            Add(ApiResponse.Problem(422, "A field breaks the rules (`errors` names each by its path).", ProblemCodes.ValidationFailed));
        }
        var answers = new JsonObject();
        foreach (var (key, (response, codes)) in responses) answers[key] = Response(response, codes, head, doc.RelaysUpstreamAnswers);
        op["responses"] = answers;
        op["security"] = doc.Access == ApiAccess.Anonymous ? new JsonArray() : new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() });
        return op;
    }

    private static JsonObject Response(ApiResponse response, List<string> codes, bool head, bool relayed)
    {
        var json = new JsonObject { ["description"] = response.Description };
        if (response.Headers.Count > 0)
        {
            var headers = new JsonObject();
            foreach (var name in response.Headers) headers[name] = new JsonObject { ["$ref"] = "#/components/headers/" + name };
            json["headers"] = headers;
        }
        if (codes.Count > 0) json["x-problem-codes"] = new JsonArray([.. codes.Select(c => (JsonNode)c)]);
        if (head || response.ContentType is null) return json;
        JsonNode schema = codes.Count > 0
            ? new JsonObject
            {
                ["allOf"] = new JsonArray(
                    new JsonObject { ["$ref"] = "#/components/schemas/Problem" },
                    new JsonObject { ["properties"] = new JsonObject { ["code"] = new JsonObject { ["enum"] = new JsonArray([.. codes.Select(c => (JsonNode)c)]) } } }),
            }
            : Schema(response.Schema ?? "{}");
        var media = new JsonObject { ["schema"] = schema };
        if (response.Events is { } events)
        {
            var described = new JsonObject();
            foreach (var (name, data) in events) described[name] = new JsonObject { ["data"] = Schema(data) };
            media["x-sse-events"] = described;
            json["description"] = response.Description + " Events (`event:` name → JSON `data:`): " + string.Join(", ", events.Keys.Select(k => "`" + k + "`")) + ".";
        }
        json["content"] = new JsonObject { [response.ContentType] = media };
        if (relayed && response.ContentType != "*/*") json["content"]!["*/*"] = new JsonObject { ["schema"] = new JsonObject() };
        return json;
    }

    /// <summary>A schema: <c>#Name</c> → a reference to components/schemas/Name, else the JSON literal.</summary>
    public static JsonNode Schema(string schema)
        => schema.StartsWith('#') ? new JsonObject { ["$ref"] = "#/components/schemas/" + schema[1..] } : JsonNode.Parse(schema)!;
}
