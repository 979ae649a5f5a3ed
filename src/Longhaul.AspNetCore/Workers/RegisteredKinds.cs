using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;
using Longhaul.Storage;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// The remote kinds worker keys register at run time (<c>PUT /v1/kinds/{name}</c>), read from the store so every node
/// knows them; each stored version's schema is compiled once per process.
/// </summary>
internal sealed class RegisteredKinds(IOperationStore store)
{
    /// <summary>The longest kind name, as for configured remote kinds.</summary>
    public const int MaxNameLength = 100;

    private readonly ConcurrentDictionary<(string Tenant, string Name), (DateTimeOffset UpdatedAt, RemoteKindHandler Handler)> _compiled = new();

    /// <summary>True when <paramref name="name"/> may name a kind: 1 to 100 characters, no white space, control characters or commas.</summary>
    public static bool IsValidName(string name)
        => name.Length is > 0 and <= MaxNameLength && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ',');

    /// <summary>The kind <paramref name="tenant"/> sees under <paramref name="name"/> (its own, or an every-tenant one); null when none.</summary>
    public async Task<RemoteKindHandler?> FindAsync(string tenant, string name, CancellationToken cancellationToken)
    {
        var record = await store.FindRegisteredKindAsync(new FindRegisteredKindParams(tenant, name), cancellationToken).ConfigureAwait(false);
        return record is null ? null : Handler(record);
    }

    /// <summary>The handler of a stored kind: its schema compiled once per stored version.</summary>
    public RemoteKindHandler Handler(RegisteredKindRecord record)
    {
        var key = (record.Tenant, record.Name);
        if (_compiled.TryGetValue(key, out var known) && known.UpdatedAt == record.UpdatedAt) return known.Handler;
        var options = new RemoteKindOptions { Description = record.Description, MaxAttempts = record.MaxAttempts, TimeoutSeconds = record.TimeoutSeconds };
        JsonSchema? schema = null;
        JsonElement? document = null;
        if (record.InputSchema is { } text)
        {
            // Checked when it was registered (Compile), so it parses.
            using (var parsed = JsonDocument.Parse(text)) document = parsed.RootElement.Clone();
            schema = JsonSchema.FromText(text);
        }
        var handler = new RemoteKindHandler(record.Name, options, schema, document);
        _compiled[key] = (record.UpdatedAt, handler);
        return handler;
    }

    /// <summary>
    /// Compiles a schema a worker sent and tries it once on an empty object (a reference that cannot be resolved fails
    /// here, not at a start): the reason when it is not a usable JSON Schema, null when it is.
    /// </summary>
    public static string? Check(JsonElement schema)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            return "must be a JSON Schema (an object or a boolean)";
        try
        {
            var compiled = JsonSchema.FromText(schema.GetRawText());
            compiled.Evaluate(System.Text.Json.Nodes.JsonNode.Parse("{}"), new EvaluationOptions { OutputFormat = OutputFormat.List });
            return null;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException or InvalidOperationException or RefResolutionException
            or FormatException or KeyNotFoundException)
        {
            return $"is not a usable JSON Schema: {ex.Message}";
        }
    }
}
