using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Longhaul.Dashboard;

/// <summary>The dashboard's files, read once from the assembly's embedded resources (<c>ui/…</c>), each with its content type and a strong ETag.</summary>
internal sealed class DashboardAssets
{
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private const string Prefix = "ui/";

    /// <summary>Every embedded file by its name under <c>/ui/</c> (e.g. <c>app.js</c>).</summary>
    public FrozenDictionary<string, DashboardAsset> Files { get; } = Load();

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..].Replace('\\', '/');
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var type)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"";
            files[name] = new DashboardAsset(bytes, type, etag);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
