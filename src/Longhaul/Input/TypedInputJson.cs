using System.Text.Json;
using System.Text.Json.Serialization;

namespace Longhaul.Input;

/// <summary>
/// The JSON settings typed inputs are read with: <see cref="LonghaulJsonDefaults.Options"/> (snake_case) made strict.
/// Unknown members, missing required members (the <c>required</c> keyword or a constructor parameter without a default),
/// null for a non-nullable member, numbers in strings and names in another case are all errors.
/// </summary>
internal static class TypedInputJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(LonghaulJsonDefaults.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            NumberHandling = JsonNumberHandling.Strict,
            PropertyNameCaseInsensitive = false,
        };
        options.MakeReadOnly();
        return options;
    }
}
