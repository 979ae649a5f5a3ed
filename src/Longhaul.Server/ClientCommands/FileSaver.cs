using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Longhaul.Client;
using Longhaul.Contracts;

namespace Longhaul.Server.ClientCommands;

/// <summary>
/// Saves a finished operation's file for <c>export</c> and <c>download</c>, through the client library's resumable,
/// verified download (<see cref="LonghaulClient.DownloadFileAsync(string, string, FileDownloadOptions?, CancellationToken)"/>):
/// to <c>PATH</c> by way of <c>PATH.part</c>, or to stdout for <c>-o -</c>; then prints where it went.
/// </summary>
internal static class FileSaver
{
    /// <summary>The file <paramref name="name"/> of the operation, or (null) the export's file or the operation's only one; null (after a message) when that is not one file.</summary>
    public static async Task<OperationFile?> ChooseAsync(LonghaulClient client, OperationResource operation, string? name)
    {
        var files = OperationFile.InResult(operation.Id, operation.Result);
        if (name is not null)
        {
            // A file the result does not link to (a remote worker's, say) is still served by the file endpoint.
            return files.FirstOrDefault(f => f.Name == name && f.Signed) ?? files.FirstOrDefault(f => f.Name == name)
                ?? new OperationFile(name, FileEndpoint(client, operation.Id, name), Signed: false, null, null);
        }
        if (operation.Kind == "export" && files.FirstOrDefault(f => f.Signed) is { } export) return export;
        var distinct = files.DistinctBy(f => f.Name).ToList();
        if (distinct.Count == 1) return distinct[0];
        if (distinct.Count == 0)
            await Console.Error.WriteLineAsync($"longhaul: the result of {operation.Id} links to no file; name one: longhaul download {operation.Id} FILE_NAME").ConfigureAwait(false);
        else
            await Console.Error.WriteLineAsync($"longhaul: {operation.Id} has {distinct.Count} files; name one:{string.Concat(distinct.Select(f => $"{Environment.NewLine}  {f.Name}{(f.Bytes is { } b ? $"\t{b} bytes" : "")}"))}").ConfigureAwait(false);
        return null;
    }

    /// <summary>Where the file goes: <paramref name="output"/> (a directory gets the file's name inside it), else the file's name here; "-" is stdout.</summary>
    public static string Target(string? output, string fileName)
        => output switch
        {
            null or "" => Path.GetFullPath(fileName),
            "-" => "-",
            _ when Directory.Exists(output) => Path.GetFullPath(Path.Combine(output, fileName)),
            _ => Path.GetFullPath(output),
        };

    /// <summary>False (after a message) when <paramref name="path"/> holds a complete file and <paramref name="force"/> is not given.</summary>
    public static async Task<bool> MayWriteAsync(string path, bool force)
    {
        if (path == "-" || force || !File.Exists(path)) return true;
        await Console.Error.WriteLineAsync($"longhaul: {path} exists; give --force to replace it, or -o another path.").ConfigureAwait(false);
        return false;
    }

    /// <summary>Downloads <paramref name="file"/> of <paramref name="operation"/> to <paramref name="path"/>, verifies it, and prints the outcome; the exit code.</summary>
    public static async Task<int> SaveAsync(LonghaulClient client, OperationResource operation, OperationFile file, string path, bool force, OutputMode mode, CancellationToken cancellationToken)
    {
        var toStdout = path == "-";
        var report = toStdout ? Console.Error : Console.Out;
        var progress = mode == OutputMode.Json ? null : new DownloadProgress(file.Name, file.Bytes);
        var options = new FileDownloadOptions { SignedLink = file.Signed, ExpectedBytes = file.Bytes, ExpectedSha256 = file.Sha256, Overwrite = force, Progress = progress is null ? null : progress.Report };
        if (!toStdout && File.Exists(path + ".part") && mode != OutputMode.Json)
            await Console.Error.WriteLineAsync($"{path}.part holds {new FileInfo(path + ".part").Length} bytes: resuming").ConfigureAwait(false);
        FileDownloadResult saved;
        try
        {
            saved = await DownloadAsync(client, file.Url, path, options, cancellationToken).ConfigureAwait(false);
        }
        catch (LonghaulApiException ex) when (ex.StatusCode == HttpStatusCode.Gone && file.Signed)
        {
            var expired = ExpiresAt(operation) is { } at ? $" at {OperationPrinter.Time(at)}" : "";
            await Console.Error.WriteLineAsync($"longhaul: the download link of {operation.Id} expired{expired} (410 link_expired); fetching the file with the API key instead.").ConfigureAwait(false);
            try
            {
                saved = await DownloadAsync(client, FileEndpoint(client, operation.Id, file.Name), path, options with { SignedLink = false }, cancellationToken).ConfigureAwait(false);
            }
            catch (LonghaulApiException inner) when (inner.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                await Console.Error.WriteLineAsync($"longhaul: the file endpoint refused it too ({inner.Message}). There is no way to renew a link: start the export again (longhaul export …).").ConfigureAwait(false);
                return ExitCodes.NotFound;
            }
        }
        catch (FileVerificationException ex)
        {
            await Console.Error.WriteLineAsync($"longhaul: {ex.Message} Run the command again to download it anew.").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException and not HttpIOException && ex.InnerException is not System.Net.Sockets.SocketException)
        {
            // The local file (permissions, a full disk, a file that appeared at PATH), or a server answer the download cannot use.
            await Console.Error.WriteLineAsync($"longhaul: {(toStdout ? "stdout" : path)}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        progress?.Done();
        if (saved.ResumedFrom is { } from && mode != OutputMode.Json)
            await Console.Error.WriteLineAsync($"the server continued at byte {from} (206 Partial Content)").ConfigureAwait(false);
        if (mode == OutputMode.Json)
        {
            var document = new JsonObject
            {
                ["operation"] = operation.Id,
                ["file"] = file.Name,
                ["path"] = path,
                ["bytes"] = saved.Bytes,
                ["sha256"] = saved.Sha256,
                ["verified"] = file.Sha256 is not null,
                ["resumed_from"] = saved.ResumedFrom,
            };
            await report.WriteLineAsync(document.ToJsonString()).ConfigureAwait(false);
        }
        else if (mode == OutputMode.Plain)
        {
            await report.WriteLineAsync($"saved\t{path}\t{saved.Bytes}\t{saved.Sha256}").ConfigureAwait(false);
        }
        else
        {
            await report.WriteLineAsync($"saved to {path} ({saved.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes, sha256 {saved.Sha256}{(file.Sha256 is null ? "" : ", verified")})").ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    private static async Task<FileDownloadResult> DownloadAsync(LonghaulClient client, string url, string path, FileDownloadOptions options, CancellationToken cancellationToken)
    {
        if (path != "-") return await client.DownloadFileAsync(url, path, options, cancellationToken).ConfigureAwait(false);
        var stdout = Console.OpenStandardOutput();
        await using (stdout.ConfigureAwait(false))
        {
            return await client.DownloadFileAsync(url, stdout, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string FileEndpoint(LonghaulClient client, string id, string name)
        => $"{client.Options.ApiPath.Trim('/')}/operations/{Uri.EscapeDataString(id)}/files/{Uri.EscapeDataString(name)}";

    private static DateTimeOffset? ExpiresAt(OperationResource operation)
        => operation.Result is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty("expires_at", out var at) && at.TryGetDateTimeOffset(out var time) ? time : null;
}
