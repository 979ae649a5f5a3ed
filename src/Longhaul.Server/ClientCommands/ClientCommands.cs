using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary>The client commands of <c>longhaul</c> (start, get, list, watch, cancel, delete, events, upload, import, export, download), talking to a server over its HTTP API.</summary>
internal static class ClientCommands
{
    private static readonly string[] Names = ["start", "get", "list", "watch", "cancel", "delete", "events", "upload", "import", "export", "download"];

    public static void AddTo(RootCommand root)
    {
        var connection = new ClientConnection();
        root.Subcommands.Add(StartCommand.Create(connection));
        root.Subcommands.Add(GetCommand.Create(connection));
        root.Subcommands.Add(ListCommand.Create(connection));
        root.Subcommands.Add(WatchCommand.Create(connection));
        root.Subcommands.Add(CancelCommand.Create(connection));
        root.Subcommands.Add(DeleteCommand.Create(connection));
        root.Subcommands.Add(EventsCommand.Create(connection));
        root.Subcommands.Add(UploadCommand.Create(connection));
        root.Subcommands.Add(ImportCommand.Create(connection));
        root.Subcommands.Add(ExportCommand.Create(connection));
        root.Subcommands.Add(DownloadCommand.Create(connection));
    }

    /// <summary>The exit code to return: a client command's usage error is <see cref="ExitCodes.Usage"/> (System.CommandLine's own is 1, which means "failed" here).</summary>
    public static int ExitCode(ParseResult parsed, int exitCode)
        => parsed.Errors.Count > 0 && Names.Contains(parsed.CommandResult.Command.Name) ? ExitCodes.Usage : exitCode;
}
