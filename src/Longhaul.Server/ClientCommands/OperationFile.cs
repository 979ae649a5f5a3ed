using System.Text.Json;
using System.Text.RegularExpressions;

namespace Longhaul.Server.ClientCommands;

/// <summary>
/// A file an operation's result links to: its name, the link (an export's signed <c>download_url</c>, or an operation
/// file URL such as <c>body_url</c>), and the length and SHA-256 the result gives for it, when it does.
/// </summary>
internal sealed partial record OperationFile(string Name, string Url, bool Signed, long? Bytes, string? Sha256)
{
    /// <summary>
    /// The files <paramref name="result"/> links to: each <c>…_url</c> member naming <c>/downloads/{id}/{name}</c> or
    /// <c>…/operations/{id}/files/{name}</c> of operation <paramref name="id"/>, with <c>…_bytes</c>/<c>…_sha256</c>
    /// beside it (an export's <c>download_url</c>: <c>bytes</c> and <c>sha256</c>).
    /// </summary>
    public static List<OperationFile> InResult(string id, JsonElement? result)
    {
        var files = new List<OperationFile>();
        if (result is not { ValueKind: JsonValueKind.Object } members) return files;
        foreach (var member in members.EnumerateObject())
        {
            if (!member.Name.EndsWith("_url", StringComparison.Ordinal) || member.Value.ValueKind != JsonValueKind.String) continue;
            var url = member.Value.GetString()!;
            var path = Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" ? absolute.AbsolutePath : url.Split('?', 2)[0];
            var match = FilePath().Match(path);
            if (!match.Success || Uri.UnescapeDataString(match.Groups["id"].Value) != id) continue;
            var prefix = member.Name[..^"_url".Length];
            var export = prefix == "download";
            files.Add(new OperationFile(
                Uri.UnescapeDataString(match.Groups["name"].Value),
                url,
                Signed: match.Groups["signed"].Success,
                Number(members, export ? "bytes" : prefix + "_bytes"),
                Text(members, export ? "sha256" : prefix + "_sha256")));
        }
        return files;
    }

    private static long? Number(JsonElement result, string name)
        => result.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static string? Text(JsonElement result, string name)
        => result.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("(?:(?<signed>/downloads/)(?<id>[^/]+)/(?<name>[^/]+)|/operations/(?<id>[^/]+)/files/(?<name>[^/]+))$")]
    private static partial Regex FilePath();
}
