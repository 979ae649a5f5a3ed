using System.CommandLine;

namespace Longhaul.Server.ClientCommands;

/// <summary><c>longhaul upload FILE</c>: a resumable tus upload to <c>/v1/uploads</c>; prints the upload's id and URL.</summary>
internal static class UploadCommand
{
    public static Command Create(ClientConnection connection)
    {
        var file = new Argument<FileInfo>("file") { Description = "The file to upload." };
        var command = new Command("upload", "Upload a file (tus, resumable: run the same command again after a break and it goes on where it stopped). Prints the upload id for `longhaul import`.") { file };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => connection.RunAsync(result, async (_, uploader, mode, ct) =>
        {
            var path = result.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"longhaul: {path.FullName}: no such file.").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var upload = await uploader.UploadAsync(path.FullName, StateFile(path), Reporter(mode), ct).ConfigureAwait(false);
            if (mode == OutputMode.Json) Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(upload, Contracts.LonghaulJson.Default.UploadResource));
            else Console.WriteLine($"{upload.Id}\t{upload.Url}\t{upload.Length} bytes");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>Where an unfinished upload of <paramref name="file"/> is remembered: beside it.</summary>
    public static string StateFile(FileInfo file) => file.FullName + ".longhaul-upload";

    /// <summary>Progress lines on stderr (stdout keeps only the result), at most one per piece.</summary>
    public static Action<long, long> Reporter(OutputMode mode) => (sent, total) =>
    {
        if (mode != OutputMode.Json) Console.Error.WriteLine($"uploaded {sent} of {total} bytes ({(total == 0 ? 100 : 100.0 * sent / total):0.#} %)");
    };
}
