namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// Finds the real <c>longhaul</c> executable: <c>&lt;repo&gt;/src/Longhaul.Server/bin/&lt;Configuration&gt;/net10.0/longhaul</c>,
/// with the repository root found by walking up to <c>Longhaul.sln</c> and the configuration taken from this test
/// assembly's own output path (<c>…/bin/&lt;Configuration&gt;/net10.0/</c>).
/// </summary>
internal static class LonghaulBinary
{
    private static readonly Lazy<string> LazyPath = new(Locate);

    public static string Path => LazyPath.Value;

    private static string Locate()
    {
        var baseDirectory = AppContext.BaseDirectory;
        var root = new DirectoryInfo(baseDirectory);
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Longhaul.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException($"No Longhaul.sln above '{baseDirectory}'.");

        var segments = baseDirectory.Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var bin = Array.LastIndexOf(segments, "bin");
        if (bin < 0 || bin + 2 >= segments.Length) throw new InvalidOperationException($"Cannot tell the build configuration from '{baseDirectory}'.");
        var configuration = segments[bin + 1];
        var framework = segments[bin + 2];

        var executable = System.IO.Path.Combine(root.FullName, "src", "Longhaul.Server", "bin", configuration, framework, OperatingSystem.IsWindows() ? "longhaul.exe" : "longhaul");
        if (!File.Exists(executable)) throw new InvalidOperationException($"The longhaul executable is not at '{executable}'; build src/Longhaul.Server ({configuration}) first.");
        return executable;
    }
}
