using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// A remote kind as the registry sees it: its name, description, schema and defaults, and input validation by a JSON
/// Schema (JsonSchema.Net) with field errors named like the built-in kinds' (<c>input.rows</c>,
/// <c>input.items[2].name</c>). It never runs in the server: <see cref="IOperationHandler.IsRemote"/> is true.
/// </summary>
internal sealed class RemoteKindHandler : IOperationHandler
{
    private readonly JsonSchema? _schema;

    public RemoteKindHandler(string kind, RemoteKindOptions options, JsonSchema? schema, JsonElement? schemaDocument)
    {
        Kind = kind;
        Description = options.Description;
        _schema = schema;
        InputSchema = schemaDocument;
        Defaults = new OperationKindOptions { MaxAttempts = options.MaxAttempts, TimeoutSeconds = options.TimeoutSeconds };
    }

    public string Kind { get; }

    public string? Description { get; }

    public JsonElement? InputSchema { get; }

    public OperationKindOptions? Defaults { get; }

    public bool IsRemote => true;

    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input)
    {
        if (_schema is null)
        {
            return input.ValueKind == JsonValueKind.Object ? null : new Dictionary<string, string[]> { ["input"] = ["must be an object"] };
        }
        var node = JsonNode.Parse(input.GetRawText());
        var results = _schema.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return null;
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var detail in results.Details)
        {
            if (detail.Errors is not { Count: > 0 } detailErrors) continue;
            var path = FieldPath(input, Segments(detail.InstanceLocation.ToString()));
            foreach (var (keyword, message) in detailErrors)
            {
                if (keyword == "required" && MissingNames(message) is { } missing)
                {
                    foreach (var name in missing) Add(errors, $"{path}.{name}", "is required");
                    continue;
                }
                Add(errors, path, message);
            }
        }
        if (errors.Count == 0) errors["input"] = ["does not match the kind's input schema"];
        return errors.ToDictionary(e => e.Key, e => e.Value.Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"Kind '{Kind}' is remote: workers claim it over the worker protocol; the in-process engine never runs it.");

    private static void Add(Dictionary<string, List<string>> errors, string path, string message)
    {
        if (!errors.TryGetValue(path, out var list)) errors[path] = list = [];
        list.Add(message);
    }

    /// <summary>The unescaped segments of a JSON Pointer (<c>/items/0/a~1b</c>: <c>items</c>, <c>0</c>, <c>a/b</c>).</summary>
    private static IEnumerable<string> Segments(string pointer)
        => pointer.Length <= 1 ? [] : pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));

    /// <summary>A JSON Pointer into the input as the API's field path: members as <c>.name</c>, array items as <c>[i]</c>.</summary>
    private static string FieldPath(JsonElement input, IEnumerable<string> segments)
    {
        var path = "input";
        var current = (JsonElement?)input;
        foreach (var segment in segments)
        {
            if (current is { ValueKind: JsonValueKind.Array } array && int.TryParse(segment, out var index))
            {
                path += $"[{index}]";
                current = index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                path += "." + segment;
                current = current is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(segment, out var member) ? member : null;
            }
        }
        return path;
    }

    /// <summary>The member names of JsonSchema.Net's <c>required</c> message (<c>Required properties ["a","b"] are not present</c>); null when it says otherwise.</summary>
    private static string[]? MissingNames(string message)
    {
        var start = message.IndexOf('[', StringComparison.Ordinal);
        var end = message.LastIndexOf(']');
        if (start < 0 || end <= start) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(message[start..(end + 1)]);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
