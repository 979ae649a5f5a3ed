using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>Writes RFC 9457 problem documents.</summary>
internal static class ProblemResults
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(HttpContext context, int status, string code, string title, string? detail = null, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = new Problem
        {
            Type = $"https://longhaul.dev/problems/{code.Replace('_', '-')}",
            Title = title,
            Status = status,
            Detail = detail,
            Code = code,
            Instance = context.Request.Path,
            Errors = errors,
        };
        context.Response.StatusCode = status;
        return JsonResponses.WriteAsync(context, problem, LonghaulJson.Default.Problem, ContentType);
    }

    public static Task NotFoundAsync(HttpContext context)
        => WriteAsync(context, 404, ProblemCodes.OperationNotFound, "Operation not found", "No operation with this id exists for this tenant.");

    public static Task ValidationAsync(HttpContext context, IReadOnlyDictionary<string, string[]> errors)
        => WriteAsync(context, 422, ProblemCodes.ValidationFailed, "Validation failed", "One or more fields are invalid; see errors.", errors);

    /// <summary>400 for a JSON body <see cref="JsonBody"/> refused, naming the field in <c>errors</c> when there is one.</summary>
    public static Task InvalidJsonAsync(HttpContext context, JsonBodyError error)
        => WriteAsync(context, 400, error.Code, error.Code switch
        {
            ProblemCodes.JsonTooDeep => "JSON nested too deeply",
            ProblemCodes.InvalidUnicode => "Invalid Unicode in JSON",
            ProblemCodes.DuplicateMember => "Duplicate member name in JSON",
            _ => "Malformed JSON",
        }, error.Message, error.Path is { } path ? new Dictionary<string, string[]> { [path] = [error.Message] } : null);

    public static Task BadParameterAsync(HttpContext context, string name, string message)
        => WriteAsync(context, 400, ProblemCodes.InvalidParameter, "Invalid parameter", $"{name}: {message}",
            new Dictionary<string, string[]> { [name] = [message] });
}
