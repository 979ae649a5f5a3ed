using System.Reflection;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// One of Longhaul's problem documents (<see cref="ProblemCatalog"/>) as an endpoint result, declared for OpenAPI as the
/// problem answers of the operator API (400, 403, 404, 413, 415, 422).
/// </summary>
public sealed class ProblemResult : IResult, IEndpointMetadataProvider
{
    private static readonly int[] Statuses = [400, 403, 404, 413, 415, 422];

    /// <summary>The problem of <paramref name="code"/>, with <paramref name="detail"/> and field <paramref name="errors"/>.</summary>
    public ProblemResult(string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        Code = code;
        Detail = detail;
        Errors = errors;
    }

    /// <summary>The problem's stable code.</summary>
    public string Code { get; }

    /// <summary>What happened.</summary>
    public string Detail { get; }

    /// <summary>The bad fields, by name.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext) => ProblemResults.WriteAsync(httpContext, Code, Detail, Errors);

    /// <inheritdoc/>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var status in Statuses) builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(Problem), [ProblemResults.ContentType]));
    }
}
