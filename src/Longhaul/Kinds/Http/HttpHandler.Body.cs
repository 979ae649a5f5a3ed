using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Longhaul.Kinds.Http;

internal sealed partial class HttpHandler
{
    /// <summary>
    /// The answer's body: up to <see cref="UpstreamOptions.MaxInlineBytes"/> inline (JSON as JSON, text as text, else base64),
    /// larger bodies streamed into the operation file <c>body</c> (a chunk at a time, never whole in memory) and linked.
    /// </summary>
    private static async Task<JsonObject> ReadBodyAsync(OperationContext context, Upstream upstream, HttpResponseMessage response, string method, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var result = new JsonObject
        {
            ["status"] = status,
            ["headers"] = Headers(upstream, response),
            ["body"] = null,
        };
        if (method != "HEAD")
        {
            var inlineLimit = upstream.Options.MaxInlineBytes;
            await using var capped = new CappedStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), upstream.Options.MaxResponseBytes);
            var buffer = new byte[81920];
            using var head = new MemoryStream();
            int read;
            while (head.Length <= inlineLimit && (read = await capped.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) head.Write(buffer, 0, read);
            if (head.Length <= inlineLimit)
            {
                var bytes = upstream.Redactor.Redact(head.GetBuffer().AsSpan(0, (int)head.Length));
                var (body, encoding) = Decode(bytes, response.Content.Headers.ContentType);
                result["body"] = upstream.Redactor.Redact(body);
                if (encoding is not null) result["body_encoding"] = encoding;
            }
            else
            {
                var file = context.CreateFile("body", response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream");
                var redaction = upstream.Redactor.Stream();
                await file.WriteAsync(redaction.Push(head.GetBuffer().AsSpan(0, (int)head.Length)), cancellationToken).ConfigureAwait(false);
                while ((read = await capped.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    await file.WriteAsync(redaction.Push(buffer.AsSpan(0, read)), cancellationToken).ConfigureAwait(false);
                await file.WriteAsync(redaction.Flush(), cancellationToken).ConfigureAwait(false);
                await file.FinishAsync(cancellationToken).ConfigureAwait(false);
                result["body_url"] = file.Url;
                result["body_bytes"] = file.Length;
                result["body_content_type"] = file.ContentType;
            }
        }
        if (response.IsSuccessStatusCode) return result;
        throw new PermanentFailureException("upstream_status", $"Upstream '{upstream.Name}' answered {status} {response.ReasonPhrase}.", Details(result));
    }

    private static (JsonNode? Body, string? Encoding) Decode(byte[] bytes, MediaTypeHeaderValue? contentType)
    {
        if (bytes.Length == 0) return (null, null);
        var media = contentType?.MediaType ?? "";
        Encoding text;
        try
        {
            text = contentType?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            text = Encoding.UTF8;
        }
        if (media == "application/json" || media.EndsWith("+json", StringComparison.Ordinal))
        {
            try
            {
                // Lone surrogates and invalid UTF-8 in its strings become U+FFFD: JSON stays JSON.
                return (LenientJson.Parse(bytes), null);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep it as text.
            }
        }
        var isText = media.StartsWith("text/", StringComparison.Ordinal) || media.EndsWith("+xml", StringComparison.Ordinal) || media.EndsWith("+json", StringComparison.Ordinal)
            || media is "application/json" or "application/xml" or "application/javascript" or "application/x-www-form-urlencoded" or ""
            || contentType?.CharSet is not null;
        if (isText)
        {
            try
            {
                var decoded = new UTF8Encoding(false, true).GetString(bytes);
                return (JsonValue.Create(ReferenceEquals(text, Encoding.UTF8) ? decoded : text.GetString(bytes)), null);
            }
            catch (DecoderFallbackException)
            {
                if (!ReferenceEquals(text, Encoding.UTF8)) return (JsonValue.Create(text.GetString(bytes)), null);
            }
        }
        return (JsonValue.Create(Convert.ToBase64String(bytes)), "base64");
    }
}
