using System.Text.Json;

namespace Longhaul.Kinds.Http;

internal sealed partial class HttpHandler
{
    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.ValueKind != JsonValueKind.Object)
        {
            errors["input"] = ["must be an object"];
            return errors;
        }
        foreach (var property in input.EnumerateObject())
        {
            if (property.Name is not ("upstream" or "method" or "path" or "query" or "headers" or "body" or "stream"))
                errors[$"input.{property.Name}"] = ["is not a known field"];
        }
        Upstream? upstream = null;
        if (!input.TryGetProperty("upstream", out var u) || u.ValueKind != JsonValueKind.String)
            errors["input.upstream"] = ["is required and must be a string"];
        else if ((upstream = upstreams.Find(u.GetString()!)) is null)
            errors["input.upstream"] = [$"is not a configured upstream (known: {string.Join(", ", upstreams.Names.Order(StringComparer.Ordinal))})"];

        if (!input.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String)
            errors["input.method"] = ["is required and must be a string"];
        else if (upstream is not null && !upstream.Methods.Contains(m.GetString()!.ToUpperInvariant()))
            errors["input.method"] = [$"is not allowed for this upstream (allowed: {string.Join(", ", upstream.Methods.Order(StringComparer.Ordinal))})"];

        if (!input.TryGetProperty("path", out var p) || p.ValueKind != JsonValueKind.String)
            errors["input.path"] = ["is required and must be a string"];
        else if (PathProblem(p.GetString()!, upstream) is { } problem)
            errors["input.path"] = [problem];

        if (input.TryGetProperty("query", out var q) && q.ValueKind != JsonValueKind.Null)
        {
            if (q.ValueKind != JsonValueKind.Object || q.EnumerateObject().Any(x => x.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)))
                errors["input.query"] = ["must be an object of strings, numbers or booleans"];
        }
        if (input.TryGetProperty("headers", out var h) && h.ValueKind != JsonValueKind.Null)
        {
            if (h.ValueKind != JsonValueKind.Object)
                errors["input.headers"] = ["must be an object of strings"];
            else
            {
                foreach (var header in h.EnumerateObject())
                {
                    if (!HttpHeaderRules.IsToken(header.Name))
                        errors[$"input.headers.{header.Name}"] = ["is not a valid header name"];
                    else if (header.Value.ValueKind != JsonValueKind.String || !HttpHeaderRules.IsValidValue(header.Value.GetString()!))
                        errors[$"input.headers.{header.Name}"] = ["must be a string without line breaks"];
                }
            }
        }
        if (input.TryGetProperty("stream", out var s) && s.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            errors["input.stream"] = ["must be a boolean"];
        return errors.Count == 0 ? null : errors;
    }

    private static string? PathProblem(string path, Upstream? upstream)
    {
        if (UpstreamPaths.FormProblem(path) is { } problem) return problem;
        if (upstream is not null && !UpstreamPaths.IsAllowed(path, upstream.PathPrefixes))
            return $"is outside the upstream's allowed prefixes ({string.Join(", ", upstream.PathPrefixes)}; a prefix matches whole path segments)";
        return null;
    }
}
