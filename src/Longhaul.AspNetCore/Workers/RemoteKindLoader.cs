using System.Text.Json;
using Json.Schema;

namespace Longhaul.AspNetCore.Workers;

/// <summary>Builds a remote kind from its settings, reading and compiling its schema file once; every problem names the setting.</summary>
internal static class RemoteKindLoader
{
    public static RemoteKindHandler Load(string kind, RemoteKindOptions options, LonghaulEngineOptions engine, List<string> errors)
    {
        var prefix = $"{RemoteKindOptions.SectionName}:{kind}:";
        if (kind.Length is 0 or > 100 || kind.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ','))
            errors.Add($"{RemoteKindOptions.SectionName}:{kind} is not a valid kind name (1-100 characters, no spaces or commas).");
        if (options.MaxAttempts is { } m && (m < 1 || m > engine.MaxAttemptsLimit))
            errors.Add($"{prefix}MaxAttempts must be between 1 and Longhaul:MaxAttemptsLimit ({engine.MaxAttemptsLimit}) (is {m}).");
        if (options.TimeoutSeconds is { } t && (!double.IsFinite(t) || t <= 0 || t > engine.MaxTimeout.TotalSeconds))
            errors.Add($"{prefix}TimeoutSeconds must be above 0 and at most Longhaul:MaxTimeout ({engine.MaxTimeout.TotalSeconds} seconds) (is {t}).");
        JsonSchema? schema = null;
        JsonElement? document = null;
        if (options.InputSchemaFile is { } file)
        {
            try
            {
                var text = File.ReadAllText(file);
                using (var parsed = JsonDocument.Parse(text)) document = parsed.RootElement.Clone();
                schema = JsonSchema.FromText(text);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or ArgumentException or NotSupportedException)
            {
                errors.Add($"{prefix}InputSchemaFile ({file}) is not a readable JSON Schema: {ex.Message}");
                schema = null;
                document = null;
            }
        }
        return new RemoteKindHandler(kind, options, schema, document);
    }
}
