using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore.Workers;

/// <summary>A problem document of the catalog as a typed endpoint result, written by <see cref="ProblemResults"/>.</summary>
/// <param name="Code">The problem code (its status and title from <see cref="ProblemCatalog"/>).</param>
/// <param name="Detail">The detail for this occurrence.</param>
/// <param name="Errors">The fields at fault, when there are some.</param>
internal sealed record ProblemResult(string Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => ProblemResults.WriteAsync(httpContext, Code, Detail, Errors);
}
