using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>Writes RFC 9457 problem documents, their status and title taken from <see cref="ProblemCatalog"/>.</summary>
internal static class ProblemResults
{
    public const string ContentType = "application/problem+json";

    /// <summary>Writes the problem of <paramref name="code"/> with the catalog's status and title.</summary>
    public static Task WriteAsync(HttpContext context, string code, string? detail = null, IReadOnlyDictionary<string, string[]>? errors = null)
        => WriteAsync(context, ProblemCatalog.Get(code), detail, errors);

    /// <summary>
    /// Writes the problem of <paramref name="definition"/>: a catalog entry, or one derived from it with <c>with</c> where
    /// the status (or code) of an answer is not the catalog's (each such place says why).
    /// </summary>
    public static Task WriteAsync(HttpContext context, ProblemDefinition definition, string? detail = null, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        context.Response.StatusCode = definition.Status;
        return JsonResponses.WriteAsync(context, definition.ToProblem(detail, context.Request.Path, errors), LonghaulJson.Default.Problem, ContentType);
    }

    public static Task NotFoundAsync(HttpContext context)
        => WriteAsync(context, ProblemCodes.OperationNotFound, "No operation with this id exists for this tenant.");

    public static Task ValidationAsync(HttpContext context, IReadOnlyDictionary<string, string[]> errors)
        => WriteAsync(context, ProblemCodes.ValidationFailed, "One or more fields are invalid; see errors.", errors);

    /// <summary>400 for a JSON body <see cref="JsonBody"/> refused, naming the field in <c>errors</c> when there is one.</summary>
    public static Task InvalidJsonAsync(HttpContext context, JsonBodyError error)
        => WriteAsync(context, error.Code, error.Message, error.Path is { } path ? new Dictionary<string, string[]> { [path] = [error.Message] } : null);

    public static Task BadParameterAsync(HttpContext context, string name, string message)
        => WriteAsync(context, ProblemCodes.InvalidParameter, $"{name}: {message}", new Dictionary<string, string[]> { [name] = [message] });
}
