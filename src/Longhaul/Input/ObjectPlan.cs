using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace Longhaul.Input;

/// <summary>
/// What <see cref="InputValidator"/> needs to know about an input object type, worked out once per type: its members
/// by JSON name, which are required, each member's validation attributes, and whether the object needs checking as a
/// whole. Reflection (attributes are new instances on every lookup) would otherwise run on every start request.
/// </summary>
internal sealed class ObjectPlan
{
    private static readonly ConcurrentDictionary<JsonTypeInfo, ObjectPlan> Plans = new();

    private ObjectPlan(JsonTypeInfo info)
    {
        Members = info.Properties.ToDictionary(p => p.Name, p => new MemberPlan(p, [.. InputSchema.AttributesOf<ValidationAttribute>(p)]), StringComparer.Ordinal);
        Open = info.Properties.Any(p => p.IsExtensionData);
        Required = [.. info.Properties.Where(IsRequired).Select(p => p.Name)];
        Flat = info.Properties.All(p => TypedInputJson.Options.GetTypeInfo(p.PropertyType).Kind == JsonTypeInfoKind.None);
        var type = info.Type;
        NeedsWholeObject = typeof(IValidatableObject).IsAssignableFrom(type)
            || type.IsDefined(typeof(ValidationAttribute), inherit: true)
            || type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.IsDefined(typeof(RequiredAttribute), inherit: true));
    }

    /// <summary>The members by JSON name.</summary>
    public Dictionary<string, MemberPlan> Members { get; }

    /// <summary>Whether the type takes unknown members (it has an extension-data member).</summary>
    public bool Open { get; }

    /// <summary>Whether every member is a plain value (no object, array or dictionary to walk into).</summary>
    public bool Flat { get; }

    /// <summary>The JSON names of the members a body must have.</summary>
    public string[] Required { get; }

    /// <summary>
    /// Whether <see cref="Validator.TryValidateObject(object, ValidationContext, ICollection{ValidationResult}?, bool)"/>
    /// can find anything the member checks did not: <see cref="IValidatableObject"/>, class-level attributes, or
    /// <see cref="RequiredAttribute"/> members.
    /// </summary>
    public bool NeedsWholeObject { get; }

    public static ObjectPlan For(JsonTypeInfo info) => Plans.GetOrAdd(info, static i => new ObjectPlan(i));

    private static bool IsRequired(JsonPropertyInfo property)
        => property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false, IsMemberInitializer: false };
}
