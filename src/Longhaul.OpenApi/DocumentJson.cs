using System.Text.Json.Nodes;
using Longhaul.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Longhaul.OpenApi;

/// <summary>The document as JSON, built from the mapped endpoints that carry an <see cref="ApiDoc"/>.</summary>
internal static class DocumentJson
{
    /// <summary>
    /// Text of <c>info.description</c>: what holds for every operation and is not repeated in each.
    /// </summary>
    private const string About =
        "The wire contract of Longhaul (docs/http-api.md), generated from the server's mapped endpoints. Every error is an RFC 9457 problem document "
        + "(`application/problem+json`) with a stable `code`; each response lists its codes in `x-problem-codes` (and as an `enum` of `code`). "
        + "Besides those, any request may get what the HTTP server answers before a route runs: 400 `bad_request`, 408 `request_timeout`, "
        + "411 `length_required`, 414 `uri_too_long`, 431 `request_headers_too_large`, 505 `http_version_not_supported`; an unknown route "
        + "404 `not_found`, a wrong method 405 `method_not_allowed`; on a worker-only node 404 `not_an_api_node`. "
        + "Server-Sent Events responses list their event names and data schemas in `x-sse-events`.";

    /// <summary>The paths, components and tags of the endpoints of <paramref name="endpoints"/>.</summary>
    public static JsonObject Build(IEnumerable<Endpoint> endpoints)
    {
        var paths = new JsonObject();
        var tags = new List<string>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<ApiDoc>() is not { } doc) continue;
            // An endpoint without method metadata (the Prometheus scraping endpoint) answers GET.
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } listed ? listed : ["GET"];
            var path = OperationJson.Path(endpoint.RoutePattern);
            if (paths[path] is not JsonObject item) paths[path] = item = new JsonObject();
            foreach (var method in methods)
            {
                var lower = method.ToLowerInvariant();
                item[lower] = OperationJson.Build(doc, endpoint.RoutePattern, lower, methods.Count > 1);
            }
            if (!tags.Contains(doc.Tag)) tags.Add(doc.Tag);
        }
        var sorted = new JsonObject();
        foreach (var (path, item) in paths.OrderBy(p => p.Key, StringComparer.Ordinal)) sorted[path] = item!.DeepClone();
        return new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "Longhaul HTTP API", ["version"] = "1", ["description"] = About,
                ["license"] = new JsonObject { ["name"] = "Apache-2.0", ["identifier"] = "Apache-2.0" },
            },
            ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["name"] = t, ["description"] = t + " endpoints." })]),
            ["paths"] = sorted,
            ["components"] = ComponentsJson.Build(),
        };
    }
}
