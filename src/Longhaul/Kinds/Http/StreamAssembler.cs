using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Longhaul.Kinds.Http;

/// <summary>
/// Builds the answer of a streamed LLM call: the text deltas and usage numbers of the Anthropic Messages format
/// (<c>content_block_delta</c>/<c>text_delta</c>, <c>message_start</c>/<c>message_delta</c> usage) and of the OpenAI
/// Chat Completions format (<c>choices[0].delta.content</c>, a final <c>usage</c> chunk, <c>[DONE]</c>).
/// </summary>
internal sealed class StreamAssembler
{
    private readonly StringBuilder _text = new();
    private JsonObject? _usage;
    private char? _pendingHigh;

    public string? Format { get; private set; }

    public string? Model { get; private set; }

    public string? StopReason { get; private set; }

    public int Events { get; private set; }

    /// <summary>The text so far; a high surrogate still waiting for its other half counts as U+FFFD.</summary>
    public string Text => _pendingHigh is null ? _text.ToString() : _text.ToString() + '\uFFFD';

    public JsonObject? Usage => _usage;

    /// <summary>An Anthropic <c>error</c> event's data, when one arrived.</summary>
    public JsonElement? Error { get; private set; }

    /// <summary>Takes one event; returns its data as JSON (or null when it is not JSON) and its text delta.</summary>
    public (JsonElement? Data, string? Text) Add(SseMessage message)
    {
        Events++;
        JsonElement raw;
        try
        {
            using var doc = JsonDocument.Parse(message.Data);
            raw = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return (null, null); // e.g. OpenAI's "[DONE]".
        }
        // Everything is read from the repaired copy; only a text delta is read from the raw one (see Join).
        JsonElement? data = LenientJson.Clean(raw);
        var d = data.Value;
        if (d.ValueKind != JsonValueKind.Object) return (data, null);
        var type = d.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : message.Event;
        string? text = null;
        switch (type)
        {
            case "message_start":
                Format = "anthropic";
                if (d.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object)
                {
                    if (m.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String) Model = model.GetString();
                    if (m.TryGetProperty("usage", out var u)) MergeUsage(u);
                }
                break;
            case "content_block_delta":
                Format = "anthropic";
                if (d.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object
                    && delta.TryGetProperty("type", out var dt) && dt.ValueEquals("text_delta")
                    && delta.TryGetProperty("text", out var dtext) && dtext.ValueKind == JsonValueKind.String)
                    text = RawText(raw, dtext, r => r.GetProperty("delta").GetProperty("text"));
                break;
            case "message_delta":
                Format = "anthropic";
                if (d.TryGetProperty("delta", out var md) && md.ValueKind == JsonValueKind.Object
                    && md.TryGetProperty("stop_reason", out var sr) && sr.ValueKind == JsonValueKind.String)
                    StopReason = sr.GetString();
                if (d.TryGetProperty("usage", out var mu)) MergeUsage(mu);
                break;
            case "error":
                Error = d;
                break;
            default:
                if (d.TryGetProperty("choices", out var choices) || d.TryGetProperty("object", out _))
                {
                    Format ??= "openai";
                    if (d.TryGetProperty("model", out var om) && om.ValueKind == JsonValueKind.String) Model = om.GetString();
                    if (choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
                    {
                        var choice = choices[0];
                        if (choice.TryGetProperty("delta", out var od) && od.ValueKind == JsonValueKind.Object
                            && od.TryGetProperty("content", out var oc) && oc.ValueKind == JsonValueKind.String)
                            text = RawText(raw, oc, r => r.GetProperty("choices")[0].GetProperty("delta").GetProperty("content"));
                        if (choice.TryGetProperty("finish_reason", out var fr) && fr.ValueKind == JsonValueKind.String)
                            StopReason = fr.GetString();
                    }
                    if (d.TryGetProperty("usage", out var ou)) MergeUsage(ou);
                }
                break;
        }
        text = Join(text);
        if (string.IsNullOrEmpty(text)) return (data, null);
        _text.Append(text);
        return (data, text);
    }

    /// <summary>
    /// The delta as sent, lone surrogates kept: an upstream that cuts its text between the two halves of a surrogate
    /// pair (<c>"\ud83d"</c> in one event, <c>"\ude00"</c> in the next) must still give one character.
    /// </summary>
    private static string RawText(JsonElement raw, JsonElement clean, Func<JsonElement, JsonElement> path)
    {
        try
        {
            return LenientJson.ReadString(path(raw));
        }
        catch (InvalidOperationException)
        {
            // A property name on the way cannot be read as sent (itself a lone surrogate): the repaired text will do.
            return clean.GetString()!;
        }
    }

    /// <summary>
    /// Prepends a high surrogate held back from the previous delta and holds back this one's trailing high surrogate,
    /// so every delta (and so every <c>output</c> event's <c>text</c>) is valid Unicode and the deltas add up to <see cref="Text"/>.
    /// </summary>
    private string? Join(string? text)
    {
        if (text is null) return null;
        if (_pendingHigh is { } high)
        {
            text = high + text;
            _pendingHigh = null;
        }
        // A high surrogate at the end is never paired within the text: its other half may come next.
        if (text.Length > 0 && char.IsHighSurrogate(text[^1]))
        {
            _pendingHigh = text[^1];
            text = text[..^1];
        }
        return LenientJson.ReplaceLoneSurrogates(text);
    }

    private void MergeUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object) return;
        _usage ??= [];
        foreach (var property in usage.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null && _usage.ContainsKey(property.Name)) continue;
            _usage[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
    }
}
