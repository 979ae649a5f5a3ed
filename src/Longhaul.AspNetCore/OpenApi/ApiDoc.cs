namespace Longhaul.AspNetCore.OpenApi;

/// <summary>
/// What the OpenAPI document says about one endpoint, attached as endpoint metadata where the route is mapped (the
/// document is built from the mapped endpoints, ADR 28). The route, its methods and its path parameters come from the
/// endpoint itself; the problem codes' statuses and titles from <see cref="Contracts.ProblemCatalog"/>.
/// </summary>
/// <param name="Id">The operationId (suffixed with the method when one endpoint answers several).</param>
/// <param name="Tag">The group it is listed under.</param>
/// <param name="Summary">One line on what it does.</param>
internal sealed record ApiDoc(string Id, string Tag, string Summary)
{
    /// <summary>Longer text (Markdown).</summary>
    public string? Description { get; init; }

    /// <summary>Query parameters and request headers (path parameters come from the route).</summary>
    public IReadOnlyList<ApiParam> Parameters { get; init; } = [];

    /// <summary>The request body, if it takes one.</summary>
    public ApiBody? Body { get; init; }

    /// <summary>Every answer but the ones <see cref="Access"/> and a JSON <see cref="Body"/> add by themselves.</summary>
    public IReadOnlyList<ApiResponse> Responses { get; init; } = [];

    /// <summary>Who may call it.</summary>
    public ApiAccess Access { get; init; } = ApiAccess.ClientKey;

    /// <summary>
    /// Whether any answer may instead be a relayed upstream's own (the gateway with <c>Prefer: wait</c>): every status
    /// then also admits any media type, since an upstream's 404 or 422 is passed through as it came.
    /// </summary>
    public bool RelaysUpstreamAnswers { get; init; }

    /// <summary>Path parameters' descriptions and schemas, by name (the names come from the route).</summary>
    public IReadOnlyDictionary<string, string> PathParameters { get; init; } = new Dictionary<string, string>();
}
