using System.Text.Json;
using Longhaul.AspNetCore.Workers;
using Longhaul.Contracts;
using Longhaul.Execution;
using Longhaul.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>
/// Reads and validates the body of a start request (<c>POST /v1/operations</c>) into a <see cref="StartOperationRequest"/> with
/// every option resolved: media type (415), size (413), syntax, encoding, depth and I-JSON through
/// <see cref="JsonBody"/> (400),
/// then every field (422, all errors at once): the JSON types here, the rules every start shares in
/// <see cref="OperationStartRules"/>.
/// </summary>
internal sealed class StartRequestParser(IOptions<LonghaulApiOptions> apiOptions, OperationStartRules rules, CallbackUrlRules callbacks,
    OperationHandlerRegistry registry, RegisteredKinds registeredKinds)
{

    /// <summary>The request, or the problem to write; <paramref name="Registered"/> is the remote kind registered at run time it names, if so.</summary>
    public sealed record Outcome(StartOperationRequest? Request, byte[] Body, Func<HttpContext, Task>? Problem, IOperationHandler? Registered = null);

    public async Task<Outcome> ReadAsync(HttpContext context)
    {
        var o = apiOptions.Value;
        if (!IsJson(context.Request.ContentType))
        {
            return Fail(ctx => ProblemResults.WriteAsync(ctx, ProblemCodes.UnsupportedMediaType, "Send the body as 'Content-Type: application/json' (UTF-8)."));
        }
        var body = await ReadBodyAsync(context, o.MaxStartBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return Fail(ctx => ProblemResults.WriteAsync(ctx, ProblemCodes.BodyTooLarge, $"The body exceeds the limit of {o.MaxStartBodyBytes} bytes."));
        }
        var document = JsonBody.Parse(body, o.MaxJsonDepth, out var invalid);
        if (document is null) return Fail(ctx => ProblemResults.InvalidJsonAsync(ctx, invalid!), body);
        using (document)
        {
            var errors = new Dictionary<string, string[]>();
            var registered = await RegisteredKindOfAsync(context, document.RootElement).ConfigureAwait(false);
            var request = Validate(document.RootElement, errors, registered);
            // After the other fields, so every error comes at once; async because the host is resolved and checked.
            if (CallbackUrlOf(document.RootElement) is { } callback
                && await callbacks.CheckAsync(callback, context.RequestAborted).ConfigureAwait(false) is { } refusal)
            {
                errors["callback_url"] = [refusal];
            }
            return errors.Count > 0 || request is null
                ? Fail(ctx => ProblemResults.ValidationAsync(ctx, errors), body)
                : new Outcome(request, body, null, registered);
        }
    }

    /// <summary>The run-time registered remote kind the body's <c>kind</c> names when this process has no handler of that name; else null.</summary>
    private async Task<IOperationHandler?> RegisteredKindOfAsync(HttpContext context, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var k) || k.ValueKind != JsonValueKind.String) return null;
        var kind = k.GetString()!;
        if (kind.Length is 0 or > RegisteredKinds.MaxNameLength || registry.TryGet(kind, out _)) return null;
        return await registeredKinds.FindAsync(OperationEndpoints.Tenant(context), kind, context.RequestAborted).ConfigureAwait(false);
    }

    private StartOperationRequest? Validate(JsonElement root, Dictionary<string, string[]> errors, IOperationHandler? registered)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors[""] = ["the body must be a JSON object"];
            return null;
        }
        string? kind = null;
        JsonElement input = default;
        var hasInput = false;
        JsonElement? metadata = null;
        int? maxAttempts = null;
        double? timeout = null;
        var priority = 0;
        string? callbackUrl = null;
        var scheduling = new SchedulingOptions();
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "kind":
                    if (value.ValueKind != JsonValueKind.String) errors["kind"] = ["must be a string"];
                    else kind = value.GetString();
                    break;
                case "input":
                    input = value.Clone();
                    hasInput = value.ValueKind != JsonValueKind.Null;
                    break;
                case "metadata":
                    if (value.ValueKind == JsonValueKind.Null) break;
                    if (value.ValueKind != JsonValueKind.Object) errors["metadata"] = ["must be an object"];
                    else if (value.GetRawText().Length > apiOptions.Value.MaxMetadataBytes) errors["metadata"] = [$"must not exceed {apiOptions.Value.MaxMetadataBytes} bytes"];
                    else metadata = value.Clone();
                    break;
                case "callback_url":
                    if (value.ValueKind == JsonValueKind.String) callbackUrl = value.GetString();
                    else if (value.ValueKind != JsonValueKind.Null) errors["callback_url"] = ["must be a string (an http or https URL) or null"];
                    break;
                case "options":
                    ValidateOptions(value, errors, ref maxAttempts, ref timeout, ref priority, scheduling);
                    break;
                default:
                    errors[property.Name] = ["is not a known field"];
                    break;
            }
        }
        if (kind is null && !errors.ContainsKey("kind")) errors["kind"] = ["is required"];
        if (!hasInput) input = LonghaulJsonDefaults.EmptyObject;
        if (kind is not null) rules.CheckKindAndInput(kind, input, errors, registered);
        rules.CheckScheduling(scheduling.StartAfter, scheduling.StartBy, scheduling.ConcurrencyKey, scheduling.ConcurrencyLimit, errors);
        return errors.Count == 0
            ? new StartOperationRequest
            {
                Kind = kind!, Input = input, Metadata = metadata, CallbackUrl = callbackUrl,
                Options = new OperationOptions
                {
                    MaxAttempts = maxAttempts, TimeoutSeconds = timeout, Priority = priority, StartAfter = scheduling.StartAfter,
                    StartBy = scheduling.StartBy, ConcurrencyKey = scheduling.ConcurrencyKey, ConcurrencyLimit = scheduling.ConcurrencyLimit,
                },
            }
            : null;
    }

    /// <summary>The body's <c>callback_url</c> when it is a string (its JSON type is checked with the other fields).</summary>
    private static string? CallbackUrlOf(JsonElement root)
        => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("callback_url", out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    private void ValidateOptions(JsonElement value, Dictionary<string, string[]> errors, ref int? maxAttempts, ref double? timeout, ref int priority, SchedulingOptions scheduling)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors["options"] = ["must be an object"];
            return;
        }
        foreach (var option in value.EnumerateObject())
        {
            var v = option.Value;
            switch (option.Name)
            {
                case "timeout_seconds":
                    if (v.ValueKind == JsonValueKind.Null) break;
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var t) || !rules.TimeoutAllowed(t))
                        errors["options.timeout_seconds"] = [rules.TimeoutMessage];
                    else timeout = t;
                    break;
                case "max_attempts":
                    if (v.ValueKind == JsonValueKind.Null) break;
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var m) || !rules.MaxAttemptsAllowed(m))
                        errors["options.max_attempts"] = [rules.MaxAttemptsMessage];
                    else maxAttempts = m;
                    break;
                case "priority":
                    if (v.ValueKind == JsonValueKind.Null) break;
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var p) || !OperationStartRules.PriorityAllowed(p))
                        errors["options.priority"] = [OperationStartRules.PriorityMessage];
                    else priority = p;
                    break;
                case "start_after" or "start_by" or "concurrency_key" or "concurrency_limit":
                    scheduling.Read(option.Name, v, errors);
                    break;
                default:
                    errors[$"options.{option.Name}"] = ["is not a known option"];
                    break;
            }
        }
    }

    private static Outcome Fail(Func<HttpContext, Task> problem, byte[]? body = null) => new(null, body ?? [], problem);

    internal static bool IsJson(string? contentType)
    {
        if (contentType is null) return false;
        var parts = contentType.Split(';', StringSplitOptions.TrimEntries);
        var media = parts[0];
        if (!media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && !(media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
            return false;
        foreach (var parameter in parts.Skip(1))
        {
            if (parameter.StartsWith("charset=", StringComparison.OrdinalIgnoreCase)
                && !parameter[8..].Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }

    /// <summary>Reads the body, or null when it is larger than <paramref name="limit"/>.</summary>
    internal static async Task<byte[]?> ReadBodyAsync(HttpContext context, int limit)
    {
        var declared = context.Request.ContentLength;
        if (declared > limit) return null;
        var body = context.Request.Body;
        if (declared is { } length)
        {
            // The common case: read straight into an array of the declared size.
            var exact = new byte[length];
            await body.ReadExactlyAsync(exact, context.RequestAborted).ConfigureAwait(false);
            return exact;
        }
        var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }
}
