using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace Longhaul.Input;

/// <summary>
/// The JSON Schema of an input type, from <see cref="JsonSchemaExporter"/> with <see cref="TypedInputJson.Options"/>,
/// plus what the type's attributes say: <see cref="DescriptionAttribute"/> as <c>description</c>, and the
/// DataAnnotations bounds the validator enforces (<see cref="RangeAttribute"/>, <see cref="StringLengthAttribute"/>,
/// <see cref="MinLengthAttribute"/>, <see cref="MaxLengthAttribute"/>, <see cref="LengthAttribute"/>,
/// <see cref="RegularExpressionAttribute"/>).
/// </summary>
internal static class InputSchema
{
    public static JsonElement For(Type type)
    {
        var node = JsonSchemaExporter.GetJsonSchemaAsNode(TypedInputJson.Options, type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = Transform });
        return JsonSerializer.SerializeToElement(node, LonghaulJsonDefaults.Options);
    }

    /// <summary>The attributes of a member: on the property and on the constructor parameter it is bound to.</summary>
    public static IEnumerable<T> AttributesOf<T>(JsonPropertyInfo property) where T : Attribute
    {
        var onMember = property.AttributeProvider?.GetCustomAttributes(typeof(T), inherit: true).Cast<T>() ?? [];
        var onParameter = property.AssociatedParameter?.AttributeProvider?.GetCustomAttributes(typeof(T), inherit: true).Cast<T>() ?? [];
        return onMember.Concat(onParameter);
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node) return schema;
        if (context.PropertyInfo is { } property)
        {
            if (AttributesOf<DescriptionAttribute>(property).FirstOrDefault() is { } d) node["description"] = d.Description;
            foreach (var attribute in AttributesOf<ValidationAttribute>(property)) AddBounds(node, attribute);
        }
        else if (!node.ContainsKey("description") && context.TypeInfo.Type.GetCustomAttribute<DescriptionAttribute>() is { } d)
        {
            node["description"] = d.Description;
        }
        return node;
    }

    private static void AddBounds(JsonObject node, ValidationAttribute attribute)
    {
        var isArray = HasType(node, "array");
        var (min, max) = isArray ? ("minItems", "maxItems") : ("minLength", "maxLength");
        switch (attribute)
        {
            case RangeAttribute range:
                if (Number(range.Minimum) is { } lo) node[range.MinimumIsExclusive ? "exclusiveMinimum" : "minimum"] = lo;
                if (Number(range.Maximum) is { } hi) node[range.MaximumIsExclusive ? "exclusiveMaximum" : "maximum"] = hi;
                break;
            case StringLengthAttribute length:
                if (length.MinimumLength > 0) node[min] = length.MinimumLength;
                node[max] = length.MaximumLength;
                break;
            case MaxLengthAttribute length when length.Length > 0:
                node[max] = length.Length;
                break;
            case MinLengthAttribute length:
                node[min] = length.Length;
                break;
            case LengthAttribute length:
                node[min] = length.MinimumLength;
                node[max] = length.MaximumLength;
                break;
            case RegularExpressionAttribute regex:
                node["pattern"] = regex.Pattern;
                break;
        }
    }

    private static bool HasType(JsonObject node, string type) => node["type"] switch
    {
        JsonValue v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == type,
        JsonArray a => a.Any(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == type),
        _ => false,
    };

    private static JsonNode? Number(object? bound) => bound switch
    {
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        _ => null,
    };
}
