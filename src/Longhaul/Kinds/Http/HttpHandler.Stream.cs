using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Longhaul.Kinds.Http;

internal sealed partial class HttpHandler
{
    private async Task<JsonObject> ReadStreamAsync(OperationContext context, Upstream upstream, HttpResponseMessage response, bool forward, CancellationToken cancellationToken)
    {
        var assembler = new StreamAssembler();
        await using var capped = new CappedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), upstream.Options.MaxResponseBytes);
        using var text = new StreamReader(capped, Encoding.UTF8);
        var reader = new SseReader(text);
        var first = true;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } read)
        {
            var message = upstream.Redactor.IsEmpty ? read : read with { Event = read.Event is { } e ? upstream.Redactor.Redact(e) : null, Data = upstream.Redactor.Redact(read.Data) };
            var (data, delta) = assembler.Add(message);
            if (forward)
            {
                var chunk = new JsonObject
                {
                    ["event"] = message.Event ?? "message",
                    ["data"] = data is { } d ? JsonNode.Parse(d.GetRawText()) : JsonValue.Create(message.Data),
                };
                if (delta is not null) chunk["text"] = delta;
                // The first event also carries the upstream's status and headers (request id, rate limits), so a
                // watcher, and the gateway relaying the stream live, has them before the result exists.
                if (first) chunk["response"] = new JsonObject { ["status"] = (int)response.StatusCode, ["headers"] = Headers(upstream, response) };
                first = false;
                await context.WriteOutputAsync(chunk, cancellationToken).ConfigureAwait(false);
            }
            if (assembler.Error is { } error)
            {
                throw new PermanentFailureException("upstream_stream_error", $"Upstream '{upstream.Name}' sent an error event in its stream.",
                    Details(new JsonObject { ["upstream"] = upstream.Name, ["error"] = JsonNode.Parse(error.GetRawText()), ["text"] = assembler.Text is { } partial ? upstream.Redactor.Redact(partial) : null }));
            }
        }
        LogStreamed(logger, upstream.Name, assembler.Events);
        // Again over the whole text: a secret split across two events is whole here.
        var assembled = assembler.Text is { } t ? upstream.Redactor.Redact(t) : null;
        var result = new JsonObject
        {
            ["status"] = (int)response.StatusCode,
            ["headers"] = Headers(upstream, response),
            ["body"] = null,
            ["format"] = assembler.Format ?? "sse",
            ["model"] = assembler.Model,
            ["text"] = assembled,
            ["usage"] = assembler.Usage,
            ["stop_reason"] = assembler.StopReason,
            ["events"] = assembler.Events,
        };
        if (assembled is not null && Encoding.UTF8.GetByteCount(assembled) > upstream.Options.MaxInlineBytes)
        {
            var file = context.CreateFile("text", "text/plain; charset=utf-8");
            await file.WriteAsync(Encoding.UTF8.GetBytes(assembled), cancellationToken).ConfigureAwait(false);
            await file.FinishAsync(cancellationToken).ConfigureAwait(false);
            result["text"] = null;
            result["text_url"] = file.Url;
            result["text_bytes"] = file.Length;
        }
        return result;
    }
}
