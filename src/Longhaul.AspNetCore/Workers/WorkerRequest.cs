using System.Text.Json;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// A worker protocol call's JSON body, read through the same gate as every body the API accepts (media type 415, size
/// 413, <see cref="JsonBody"/> 400), and its fields, whose errors are collected for one 422 naming all of them.
/// </summary>
internal sealed class WorkerRequest : IDisposable
{
    private readonly JsonDocument _document;

    private WorkerRequest(JsonDocument document) => _document = document;

    public JsonElement Root => _document.RootElement;

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>The body as an object, or null once the problem is written.</summary>
    public static async Task<WorkerRequest?> ReadAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<LonghaulApiOptions>>().Value;
        if (!StartRequestParser.IsJson(context.Request.ContentType))
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.UnsupportedMediaType, "Send the body as 'Content-Type: application/json' (UTF-8).").ConfigureAwait(false);
            return null;
        }
        var body = await StartRequestParser.ReadBodyAsync(context, options.MaxWorkerBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.BodyTooLarge, $"The body exceeds the limit of {options.MaxWorkerBodyBytes} bytes (Longhaul:Http:MaxWorkerBodyBytes).").ConfigureAwait(false);
            return null;
        }
        var document = JsonBody.Parse(body, options.MaxJsonDepth, out var invalid);
        if (document is null)
        {
            await ProblemResults.InvalidJsonAsync(context, invalid!).ConfigureAwait(false);
            return null;
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            await ProblemResults.ValidationAsync(context, new Dictionary<string, string[]> { [""] = ["the body must be a JSON object"] }).ConfigureAwait(false);
            return null;
        }
        return new WorkerRequest(document);
    }

    public bool Has(string name) => Root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement? Element(string name) => Root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string? String(string name, bool required, int maxLength)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) Errors[name] = ["is required"];
            return null;
        }
        if (v.ValueKind != JsonValueKind.String) { Errors[name] = ["must be a string"]; return null; }
        var s = v.GetString()!;
        if (s.Length == 0 || s.Length > maxLength) { Errors[name] = [$"must be 1 to {maxLength} characters"]; return null; }
        return s;
    }

    public int? Integer(string name, int min, int max)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= min && i <= max) return i;
        Errors[name] = [$"must be an integer from {min} to {max}"];
        return null;
    }

    public double? Number(string name, double min, double max)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d >= min && d <= max) return d;
        Errors[name] = [$"must be a number from {min} to {max}"];
        return null;
    }

    public bool? Boolean(string name)
    {
        if (!Root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        Errors[name] = ["must be true or false"];
        return null;
    }

    /// <summary>Writes the 422 naming every field error; false when there is none.</summary>
    public async Task<bool> FailedAsync(HttpContext context)
    {
        if (Errors.Count == 0) return false;
        await ProblemResults.ValidationAsync(context, Errors).ConfigureAwait(false);
        return true;
    }

    public void Dispose() => _document.Dispose();
}
