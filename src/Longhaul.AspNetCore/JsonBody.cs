using System.Text.Json;
using System.Text.Unicode;
using Longhaul.Contracts;

namespace Longhaul.AspNetCore;

/// <summary>
/// The one gate every JSON body the API accepts passes before anything is read from it or stored: valid UTF-8,
/// valid syntax, nesting within the limit, and the rules of I-JSON (RFC 7493) that keep a value readable everywhere:
/// every string and member name is valid Unicode (no lone surrogate escape such as <c>\ud800</c>) and member names
/// are unique within an object. A body that passes can be read with <c>GetString()</c>, stored by every store, and
/// written back without an exception; a body that fails is answered 400 naming the field, and nothing is stored.
/// </summary>
internal static class JsonBody
{
    /// <summary>The parsed body, or null with <paramref name="error"/> saying why it is refused.</summary>
    public static JsonDocument? Parse(ReadOnlyMemory<byte> body, int maxDepth, out JsonBodyError? error)
    {
        error = null;
        if (!Utf8.IsValid(body.Span))
        {
            error = new JsonBodyError(ProblemCodes.MalformedJson, null, "The body is not valid UTF-8.");
            return null;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            error = Diagnose(body.Span, maxDepth, ex);
            return null;
        }
        catch (InvalidOperationException)
        {
            // The duplicate check unescapes member names and throws on one that is not valid Unicode.
            error = Diagnose(body.Span, maxDepth, null);
            return null;
        }
        // Escapes are rare: only a body with one can hold a lone surrogate, so only such a body is walked.
        if (body.Span.IndexOf("\\u"u8) >= 0 && Walk(body.Span, checkUnicode: true, checkDuplicates: false) is { } invalid)
        {
            document.Dispose();
            error = invalid;
            return null;
        }
        return document;
    }

    /// <summary>Why a body that <see cref="JsonDocument"/> refused is refused, naming the field where there is one.</summary>
    private static JsonBodyError Diagnose(ReadOnlySpan<byte> body, int maxDepth, JsonException? parseError)
    {
        var syntaxOk = true;
        var depth = 0;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 100_000 });
            while (reader.Read()) depth = Math.Max(depth, reader.CurrentDepth + 1);
        }
        catch (JsonException)
        {
            syntaxOk = false;
        }
        if (!syntaxOk)
        {
            return new JsonBodyError(ProblemCodes.MalformedJson, null, parseError is null
                ? "The body is not valid UTF-8 JSON."
                : $"The body is not valid UTF-8 JSON (line {parseError.LineNumber + 1}, byte {parseError.BytePositionInLine + 1}).");
        }
        if (depth > maxDepth)
            return new JsonBodyError(ProblemCodes.JsonTooDeep, null, $"JSON may nest at most {maxDepth} levels.");
        return Walk(body, checkUnicode: true, checkDuplicates: true)
               ?? new JsonBodyError(ProblemCodes.MalformedJson, null, "The body is not valid JSON.");
    }

    /// <summary>The first string that is not valid Unicode, or the first repeated member name, with its path.</summary>
    private static JsonBodyError? Walk(ReadOnlySpan<byte> body, bool checkUnicode, bool checkDuplicates)
    {
        var path = new JsonPathTracker(checkDuplicates);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 100_000 });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    path.Value();
                    path.EnterObject();
                    break;
                case JsonTokenType.StartArray:
                    path.Value();
                    path.EnterArray();
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    path.Leave();
                    break;
                case JsonTokenType.PropertyName:
                    if (checkUnicode && !IsValidUnicode(ref reader))
                        return InvalidUnicode(path.Current, memberName: true);
                    if (!path.Member(reader.GetString()!))
                        return new JsonBodyError(ProblemCodes.DuplicateMember, path.Current,
                            $"'{path.Current}' appears more than once in the same object; member names must be unique (I-JSON, RFC 7493).");
                    break;
                default:
                    path.Value();
                    if (reader.TokenType == JsonTokenType.String && checkUnicode && !IsValidUnicode(ref reader))
                        return InvalidUnicode(path.Current, memberName: false);
                    break;
            }
        }
        return null;
    }

    private static JsonBodyError InvalidUnicode(string path, bool memberName)
    {
        var where = path.Length == 0 ? "the body" : $"'{path}'";
        return new JsonBodyError(ProblemCodes.InvalidUnicode, path,
            $"{(memberName ? "A member name in" : "The string at")} {where} holds a lone surrogate escape (such as \\ud800); JSON strings must be valid Unicode (RFC 8259 §8.2, I-JSON).");
    }

    private static bool IsValidUnicode(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return true;
        string value;
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(value[i])) return false;
        }
        return true;
    }
}
