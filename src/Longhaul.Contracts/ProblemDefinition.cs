namespace Longhaul.Contracts;

/// <summary>
/// One problem code with the HTTP status and the <c>title</c> its problem documents carry, as listed in
/// <see cref="ProblemCatalog"/>. The title is fixed per code; what differs between two occurrences goes in <c>detail</c>.
/// </summary>
/// <param name="Code">The stable <c>code</c>, one of <see cref="ProblemCodes"/>.</param>
/// <param name="Status">The HTTP status this code answers with.</param>
/// <param name="Title">The short, fixed, human-readable <c>title</c>.</param>
public sealed record ProblemDefinition(string Code, int Status, string Title)
{
    /// <summary>The problem's <c>type</c> URI: <c>https://longhaul.dev/problems/</c> and the code with '-' for '_'.</summary>
    public string Type => $"https://longhaul.dev/problems/{Code.Replace('_', '-')}";

    /// <summary>A problem document of this definition, with the given <c>detail</c>, <c>instance</c> and field <c>errors</c>.</summary>
    public Problem ToProblem(string? detail = null, string? instance = null, IReadOnlyDictionary<string, string[]>? errors = null) => new()
    {
        Type = Type,
        Title = Title,
        Status = Status,
        Detail = detail,
        Code = Code,
        Instance = instance,
        Errors = errors,
    };
}
