using System.CommandLine;

namespace Longhaul.Server;

internal static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = $"Directory holding the SQLite file (default {ServeSettings.DefaultDataDir}; or Longhaul:DataDir).",
    };
}
