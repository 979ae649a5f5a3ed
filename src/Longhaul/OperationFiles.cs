using System.Text.RegularExpressions;

namespace Longhaul;

/// <summary>Names and addresses of operation files.</summary>
public static partial class OperationFiles
{
    /// <summary>Lower-case letters, digits, '.', '-' and '_', starting with a letter or digit; at most 100 characters.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The API path of a file: <c>/v1/operations/{id}/files/{name}</c>.</summary>
    public static string Url(string operationId, string name) => Url(operationId, name, LonghaulEngineOptions.DefaultApiPath);

    /// <summary>The API path of a file under the API mounted at <paramref name="apiPath"/>: <c>{apiPath}/operations/{id}/files/{name}</c>.</summary>
    public static string Url(string operationId, string name, string apiPath) => $"{apiPath}/operations/{operationId}/files/{name}";

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();
}
