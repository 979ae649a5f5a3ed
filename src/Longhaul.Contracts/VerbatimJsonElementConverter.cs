using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Longhaul.Contracts;

/// <summary>
/// Writes a <see cref="JsonElement"/> as the exact JSON text it was read from, without unescaping or re-encoding
/// its strings. The default writer unescapes every string and throws on one that is not valid Unicode (a lone
/// surrogate escape such as <c>\ud800</c>), so one stored value could make every read of it fail. Stored JSON
/// was checked as JSON when it was stored; writing it verbatim means reading it back can never fail on its content.
/// </summary>
public sealed class VerbatimJsonElementConverter : JsonConverter<JsonElement>
{
    /// <summary>Reads the value as it stands in the input.</summary>
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => JsonElement.ParseValue(ref reader);

    /// <summary>Writes the element's raw JSON text unchanged.</summary>
    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
    }
}
