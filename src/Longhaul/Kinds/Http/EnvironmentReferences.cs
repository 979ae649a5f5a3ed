using System.Text.RegularExpressions;

namespace Longhaul.Kinds.Http;

/// <summary>Resolves <c>${env:NAME}</c> references in configured header values.</summary>
internal static partial class EnvironmentReferences
{
    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    /// <summary>The names of the variables <paramref name="value"/> references that are not set.</summary>
    public static IReadOnlyList<string> Missing(string value)
        => Reference().Matches(value).Select(m => m.Groups[1].Value)
            .Where(name => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The non-empty values of the variables <paramref name="value"/> references: the secrets it brings in.</summary>
    public static IEnumerable<string> ReferencedValues(string value)
        => Reference().Matches(value).Select(m => Environment.GetEnvironmentVariable(m.Groups[1].Value)).OfType<string>().Where(v => v.Length > 0);

    public static string Resolve(string value)
        => Reference().Replace(value, m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? "");
}
