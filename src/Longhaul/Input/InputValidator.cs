using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Longhaul.Input;

/// <summary>
/// Checks a JSON input against a type once, collecting every problem as a field error keyed by its JSON path
/// (<c>input.steps</c>, <c>input.retry.count</c>, <c>input.items[2].name</c>): unknown members, missing required
/// members, null for non-nullable members and values of the wrong type (from the strict deserializer's contract), then
/// each member's DataAnnotations (on the property or its constructor parameter). Objects nest: an object member is
/// walked the same way. An object whose members are all valid is then deserialized and checked as a whole: its
/// <see cref="RequiredAttribute"/> members, its class-level attributes and <see cref="IValidatableObject"/>.
/// </summary>
internal static class InputValidator
{
    public static Dictionary<string, string[]>? Validate(JsonElement input, Type type)
    {
        var info = TypedInputJson.Options.GetTypeInfo(type);
        if (IsPlainlyValid(input, info)) return null;
        var errors = new Errors();
        if (info.Kind == JsonTypeInfoKind.Object && input.ValueKind != JsonValueKind.Object) errors.Add("input", "must be an object");
        else Check(input, info, "input", errors);
        return errors.Count == 0 ? null : errors.ToDictionary();
    }

    /// <summary>
    /// The fast path for the common case, a valid input of a flat type: one strict deserialization and each member's
    /// attributes checked on the value. True only when the full walk would find nothing; false sends the input down
    /// the full walk, which names every error (so this never changes an answer, only how soon a valid one comes).
    /// </summary>
    private static bool IsPlainlyValid(JsonElement input, JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || input.ValueKind != JsonValueKind.Object) return false;
        var plan = ObjectPlan.For(info);
        if (!plan.Flat || plan.NeedsWholeObject) return false;
        object? instance;
        try
        {
            instance = input.Deserialize(info);
        }
        catch (JsonException)
        {
            return false;
        }
        if (instance is null) return false;
        foreach (var member in plan.Members.Values)
        {
            if (member.Attributes.Length == 0) continue;
            var value = member.Property.Get?.Invoke(instance);
            foreach (var attribute in member.Attributes)
            {
                if (attribute.RequiresValidationContext || !attribute.IsValid(value)) return false;
            }
        }
        return true;
    }

    /// <summary>Checks one value; returns it deserialized, or false when it has errors (already added).</summary>
    private static (bool Ok, object? Value) Check(JsonElement element, JsonTypeInfo info, string path, Errors errors)
    {
        if (info.Kind == JsonTypeInfoKind.Object && element.ValueKind == JsonValueKind.Object) return CheckObject(element, info, path, errors);
        if (info.Kind == JsonTypeInfoKind.Enumerable && element.ValueKind == JsonValueKind.Array && info.ElementType is { } itemType
            && TypedInputJson.Options.GetTypeInfo(itemType) is { Kind: JsonTypeInfoKind.Object } itemInfo)
        {
            var before = errors.Count;
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object) CheckObject(item, itemInfo, $"{path}[{index}]", errors);
                index++;
            }
            if (errors.Count != before) return (false, null);
        }
        try
        {
            return (true, element.Deserialize(info));
        }
        catch (JsonException ex)
        {
            var suffix = ex.Path is { Length: > 1 } p && p.StartsWith('$') ? p[1..] : "";
            var expected = suffix.StartsWith('[') && info.ElementType is { } elementType ? elementType : info.Type;
            errors.Add(path + suffix, suffix.Length == 0 || suffix.StartsWith('[') ? MustBe(expected) : "is not valid");
            return (false, null);
        }
    }

    private static (bool Ok, object? Value) CheckObject(JsonElement element, JsonTypeInfo info, string path, Errors errors)
    {
        var before = errors.Count;
        var plan = ObjectPlan.For(info);
        foreach (var member in element.EnumerateObject())
        {
            var memberPath = $"{path}.{member.Name}";
            if (!plan.Members.TryGetValue(member.Name, out var memberPlan) || memberPlan.Property.IsExtensionData)
            {
                if (!plan.Open) errors.Add(memberPath, "is not a known field");
                continue;
            }
            var property = memberPlan.Property;
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                if (!property.IsSetNullable) errors.Add(memberPath, "must not be null");
                else CheckAttributes(memberPlan, null, memberPath, errors);
                continue;
            }
            var (ok, value) = Check(member.Value, TypedInputJson.Options.GetTypeInfo(property.PropertyType), memberPath, errors);
            if (ok) CheckAttributes(memberPlan, value, memberPath, errors);
        }
        foreach (var name in plan.Required)
        {
            if (!element.TryGetProperty(name, out _)) errors.Add($"{path}.{name}", "is required");
        }
        if (errors.Count != before) return (false, null);

        object? instance;
        try
        {
            instance = element.Deserialize(info);
        }
        catch (JsonException)
        {
            errors.Add(path, "is not valid");
            return (false, null);
        }
        if (instance is null || !plan.NeedsWholeObject) return (true, instance);
        var results = new List<ValidationResult>();
        // Members were checked one by one above; this adds the checks that need the whole object.
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: false);
        foreach (var result in results)
        {
            var message = result.ErrorMessage ?? "is not valid";
            var members = result.MemberNames.ToList();
            if (members.Count == 0) errors.Add(path, message);
            foreach (var name in members) errors.Add($"{path}.{JsonName(info, name)}", message);
        }
        return (errors.Count == before, instance);
    }

    private static void CheckAttributes(MemberPlan member, object? value, string path, Errors errors)
    {
        var (property, attributes) = (member.Property, member.Attributes);
        if (attributes.Length == 0) return;
        var context = new ValidationContext(value ?? property)
        {
            DisplayName = property.Name,
            MemberName = (property.AttributeProvider as MemberInfo)?.Name,
        };
        var results = new List<ValidationResult>();
        if (Validator.TryValidateValue(value!, context, results, attributes)) return;
        foreach (var result in results) errors.Add(path, result.ErrorMessage ?? "is not valid");
    }

    /// <summary>The JSON name of the CLR member <paramref name="member"/> (as named in a validation result).</summary>
    private static string JsonName(JsonTypeInfo info, string member)
        => info.Properties.FirstOrDefault(p => (p.AttributeProvider as MemberInfo)?.Name == member)?.Name
            ?? TypedInputJson.Options.PropertyNamingPolicy?.ConvertName(member) ?? member;

    private static string MustBe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "must be a string";
        if (type == typeof(Guid)) return "must be a UUID string";
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime)) return "must be a date-time string (RFC 3339)";
        if (type == typeof(bool)) return "must be a boolean";
        if (type.IsEnum) return "is not one of the allowed values";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(uint) || type == typeof(ulong))
            return "must be an integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "must be a number";
        return TypedInputJson.Options.GetTypeInfo(type).Kind switch
        {
            JsonTypeInfoKind.Enumerable => "must be an array",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "must be an object",
            _ => "has the wrong type",
        };
    }

    /// <summary>Field errors by path, each message once; <see cref="Count"/> counts messages.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _byPath = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public void Add(string path, string message)
        {
            if (!_byPath.TryGetValue(path, out var list)) _byPath[path] = list = [];
            if (list.Contains(message)) return;
            list.Add(message);
            Count++;
        }

        public Dictionary<string, string[]> ToDictionary() => _byPath.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
