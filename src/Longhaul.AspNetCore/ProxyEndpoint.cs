using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Contracts;
using Longhaul.Execution;
using Longhaul.Kinds.Http;
using Longhaul.Storage;
using Longhaul.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// The transparent async gateway <c>/v1/proxy/{upstream}/{**path}</c>: the request becomes an <c>http</c> operation.
/// Without a preference the answer is 202 + <c>Location</c>; with <c>Prefer: wait=N</c> and a call that finishes in
/// time, the answer is the upstream's own status, selected headers and body.
/// </summary>
internal static class ProxyEndpoint
{
    public const string OperationIdHeader = "Longhaul-Operation-Id";

    /// <summary>The operation's <c>options.timeout_seconds</c> for a gateway call; never forwarded to the upstream.</summary>
    public const string TimeoutHeader = "Longhaul-Timeout-Seconds";

    /// <summary>The operation's callback URL for a gateway call (the <c>callback_url</c> of a start); never forwarded.</summary>
    public const string CallbackUrlHeader = "Longhaul-Callback-Url";

    /// <summary>Request headers a client may pass on to the upstream; everything else (the API key above all) stays here.</summary>
    private static readonly HashSet<string> ForwardedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Language", "Content-Type", "Content-Language", "If-Match", "If-None-Match",
        "anthropic-version", "anthropic-beta", "OpenAI-Organization", "OpenAI-Project", "OpenAI-Beta", "X-Request-Id",
    };

    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];

    public static async Task HandleAsync(HttpContext context, string upstream, string? path)
    {
        var services = context.RequestServices;
        var registry = services.GetService<UpstreamRegistry>();
        if (registry?.Find(upstream) is null)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.UpstreamNotFound, "No upstream of this name is configured (Longhaul:Upstreams).").ConfigureAwait(false);
            return;
        }
        var engine = services.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value;
        var api = services.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;
        var (keyOk, key) = await OperationStarter.ReadIdempotencyKeyAsync(context).ConfigureAwait(false);
        if (!keyOk) return;
        double? timeoutSeconds = null;
        if (context.Request.Headers.TryGetValue(TimeoutHeader, out var timeoutValues))
        {
            if (timeoutValues.Count != 1
                || !double.TryParse(timeoutValues[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                || !double.IsFinite(seconds) || seconds <= 0 || seconds > engine.MaxTimeout.TotalSeconds)
            {
                await ProblemResults.BadParameterAsync(context, TimeoutHeader,
                    $"must be one number of seconds above 0 and at most {engine.MaxTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                return;
            }
            timeoutSeconds = seconds;
        }
        string? callbackUrl = null;
        if (context.Request.Headers.TryGetValue(CallbackUrlHeader, out var callbackValues))
        {
            var refusal = callbackValues.Count != 1 || string.IsNullOrEmpty(callbackValues[0])
                ? "must be one http or https URL"
                : await services.GetRequiredService<CallbackUrlRules>().CheckAsync(callbackValues[0]!, context.RequestAborted).ConfigureAwait(false);
            if (refusal is not null)
            {
                await ProblemResults.ValidationAsync(context, new Dictionary<string, string[]> { [CallbackUrlHeader] = [refusal] }).ConfigureAwait(false);
                return;
            }
            callbackUrl = callbackValues[0];
        }

        var body = await StartRequestParser.ReadBodyAsync(context, api.MaxStartBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.BodyTooLarge, $"The body exceeds the limit of {api.MaxStartBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }
        JsonNode? bodyNode = null;
        if (body.Length > 0)
        {
            if (!System.Text.Unicode.Utf8.IsValid(body))
            {
                await ProblemResults.WriteAsync(context, ProblemCodes.UnsupportedMediaType, "The gateway forwards text and JSON bodies (UTF-8) only.").ConfigureAwait(false);
                return;
            }
            if (StartRequestParser.IsJson(context.Request.ContentType))
            {
                using var document = JsonBody.Parse(body, api.MaxJsonDepth, out var invalid);
                if (document is null)
                {
                    await ProblemResults.InvalidJsonAsync(context, invalid!).ConfigureAwait(false);
                    return;
                }
                bodyNode = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = api.MaxJsonDepth });
            }
            else
            {
                bodyNode = JsonValue.Create(Encoding.UTF8.GetString(body));
            }
        }

        var input = new JsonObject
        {
            ["upstream"] = upstream,
            ["method"] = context.Request.Method.ToUpperInvariant(),
            ["path"] = "/" + (path ?? ""),
        };
        if (context.Request.Query.Count > 0)
        {
            var query = new JsonObject();
            foreach (var (name, values) in context.Request.Query) query[name] = values.ToString();
            input["query"] = query;
        }
        var headers = new JsonObject();
        foreach (var (name, values) in context.Request.Headers)
        {
            if (ForwardedHeaders.Contains(name)) headers[name] = values.ToString();
        }
        if (headers.Count > 0) input["headers"] = headers;
        if (bodyNode is not null) input["body"] = bodyNode;
        var inputElement = JsonSerializer.SerializeToElement(input);

        if (!services.GetRequiredService<OperationHandlerRegistry>().TryGet(HttpHandler.KindName, out var handler))
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.UpstreamNotFound, "The http kind is not enabled on this server.").ConfigureAwait(false);
            return;
        }
        if (handler.ValidateInput(inputElement) is { } errors)
        {
            await ProblemResults.ValidationAsync(context, errors).ConfigureAwait(false);
            return;
        }

        var operation = services.GetRequiredService<OperationStartRules>().Resolve(OperationEndpoints.Tenant(context), HttpHandler.KindName,
            inputElement, null, null, timeoutSeconds, null, callbackUrl);
        // The idempotency hash covers the timeout too (a retry with another one is another request); without the
        // header it is what it always was, so keys stored before the header existed still match.
        var hashed = "proxy\n" + (timeoutSeconds is { } t ? $"timeout={t.ToString("R", CultureInfo.InvariantCulture)}\n" : "")
            + (callbackUrl is not null ? $"callback={callbackUrl}\n" : "") + inputElement.GetRawText();
        var (slotOk, slot) = await Admission.TenantAdmission.EnterPreferWaitAsync(context, operation.Tenant).ConfigureAwait(false);
        using var waiting = slot;
        if (!slotOk) return;
        var created = await OperationStarter.StartAsync(context, operation, Encoding.UTF8.GetBytes(hashed), key, untilOutput: true).ConfigureAwait(false);
        if (created is null) return;
        context.Response.Headers[OperationIdHeader] = created.Operation.Id;
        if (created.OutputStarted || (created.WaitApplied && IsStreamedAnswer(created.Operation)))
            await GatewayEventStream.WriteAsync(context, created.Operation).ConfigureAwait(false);
        else if (created.WaitApplied) await WriteUpstreamAnswerAsync(context, created.Operation).ConfigureAwait(false);
        else await OperationStarter.WriteAcceptedAsync(context, created.Operation).ConfigureAwait(false);
    }

    /// <summary>A succeeded call whose upstream answered with an event stream (the result assembles it).</summary>
    private static bool IsStreamedAnswer(Operation op)
        => op.Status == OperationStatus.Succeeded && op.Result is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("format", out _);

    /// <summary>The upstream's own answer, as kept in the result (or, for a non-2xx answer, in <c>error.details</c>).</summary>
    private static async Task WriteUpstreamAnswerAsync(HttpContext context, Operation op)
    {
        JsonElement? answer = op.Status switch
        {
            OperationStatus.Succeeded => op.Result,
            OperationStatus.Failed when op.Error is { Code: "upstream_status", Details: { } details } => details,
            _ => null,
        };
        if (answer is not { ValueKind: JsonValueKind.Object } a || !a.TryGetProperty("status", out var statusElement))
        {
            // The problem carries the operation's own error code, which may be any code a handler or the engine stores (so
            // not always one of the catalog's): a timeout and a cancel answer with their own status and title, any other
            // error with upstream_error's.
            var code = op.Error?.Code ?? ProblemCodes.UpstreamError;
            var outcome = op.Status == OperationStatus.Cancelled ? ProblemCodes.Cancelled : code switch
            {
                ProblemCodes.UpstreamTimeout => ProblemCodes.UpstreamTimeout,
                ProblemCodes.DeadlineExceeded => ProblemCodes.DeadlineExceeded,
                _ => ProblemCodes.UpstreamError,
            };
            await ProblemResults.WriteAsync(context, ProblemCatalog.Get(outcome) with { Code = code },
                $"{op.Error?.Message ?? "The call did not produce an upstream answer."} Operation: {ApiGate.ApiPath(context)}/operations/{op.Id}").ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = statusElement.GetInt32();
        if (a.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (header.NameEquals("date") || header.NameEquals("content-length") || header.Value.ValueKind != JsonValueKind.String) continue;
                context.Response.Headers[header.Name] = header.Value.GetString();
            }
        }
        if (a.TryGetProperty("body_url", out _))
        {
            // Too large to inline: the body is an operation file, streamed from the store.
            var store = context.RequestServices.GetRequiredService<IOperationStore>();
            if (await store.GetFileAsync(new GetFileParams(op.Tenant, op.Id, "body"), context.RequestAborted).ConfigureAwait(false) is { } file)
            {
                await FileEndpoint.WriteAsync(context, store, file, context.Response.StatusCode).ConfigureAwait(false);
                return;
            }
        }
        var body = a.TryGetProperty("body", out var b) ? b : default;
        byte[] bytes;
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            bytes = [];
        }
        else if (body.ValueKind == JsonValueKind.String)
        {
            var text = body.GetString()!;
            bytes = a.TryGetProperty("body_encoding", out var enc) && enc.ValueEquals("base64") ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(body.GetRawText());
            context.Response.ContentType ??= "application/json";
        }
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
