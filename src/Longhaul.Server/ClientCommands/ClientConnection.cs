using System.CommandLine;
using System.Net;
using Longhaul.Client;

namespace Longhaul.Server.ClientCommands;

/// <summary>
/// The options every client command shares (<c>--url</c>, <c>--api-key</c>, <c>--api-path</c>, <c>--output</c>, with
/// <c>LONGHAUL_URL</c>, <c>LONGHAUL_API_KEY</c> and <c>LONGHAUL_API_PATH</c> as fall-backs), the client they make,
/// and the mapping of errors to exit codes.
/// </summary>
internal sealed class ClientConnection
{
    /// <summary>Client commands retry a failed request fewer times than the library's default, so a command against a server that is down ends within seconds.</summary>
    private const int MaxRetries = 3;

    private readonly Option<string> _url = new("--url")
    {
        Description = $"The server's address (or LONGHAUL_URL; default {ServeSettings.DefaultUrls}).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LONGHAUL_URL") is { Length: > 0 } url ? url : ServeSettings.DefaultUrls,
    };

    // No DefaultValueFactory reading LONGHAUL_API_KEY: --help prints defaults, and the key must never be printed.
    private readonly Option<string?> _apiKey = new("--api-key")
    {
        Description = "The API key, sent as Authorization: Bearer (or LONGHAUL_API_KEY).",
    };

    private readonly Option<string> _apiPath = new("--api-path")
    {
        Description = "Where the API is mounted on the server (or LONGHAUL_API_PATH; default v1).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LONGHAUL_API_PATH") is { Length: > 0 } path ? path : "v1",
    };

    private readonly Option<OutputMode> _output = new("--output", "-o")
    {
        Description = "auto (tables on a terminal, plain lines otherwise), table, plain or json.",
        DefaultValueFactory = _ => OutputMode.Auto,
    };

    // For the commands that write a file (export, download), -o is the file, as for curl: the mode is --output only.
    private readonly Option<OutputMode> _outputLong = new("--output")
    {
        Description = "auto (progress on a terminal, plain lines otherwise), table, plain or json (one JSON document at the end).",
        DefaultValueFactory = _ => OutputMode.Auto,
    };

    /// <summary>A command on one operation: its <c>id</c> argument and these connection options.</summary>
    public (Command Command, Argument<string> Id) OnOperation(string name, string description)
    {
        var id = new Argument<string>("id") { Description = "The operation id (op_…)." };
        var command = new Command(name, description) { id };
        AddTo(command);
        return (command, id);
    }

    public void AddTo(Command command) => AddTo(command, shortOutput: true);

    /// <summary>The connection options; without <paramref name="shortOutput"/> the output mode is <c>--output</c> only (<c>-o</c> is the command's file).</summary>
    public void AddTo(Command command, bool shortOutput)
    {
        command.Options.Add(_url);
        command.Options.Add(_apiKey);
        command.Options.Add(_apiPath);
        command.Options.Add(shortOutput ? _output : _outputLong);
    }

    /// <summary>The output mode with <c>auto</c> resolved: table on a terminal, plain when stdout is redirected.</summary>
    public OutputMode Output(ParseResult result) => (result.GetResult(_outputLong) is not null ? result.GetValue(_outputLong) : result.GetValue(_output)) switch
    {
        OutputMode.Auto => Console.IsOutputRedirected ? OutputMode.Plain : OutputMode.Table,
        var mode => mode,
    };

    /// <summary>Runs <paramref name="body"/> with a client; API errors and unreachable servers become a message on stderr and an exit code.</summary>
    public Task<int> RunAsync(ParseResult result, Func<LonghaulClient, OutputMode, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
        => RunAsync(result, (client, _, mode, ct) => body(client, mode, ct), cancellationToken);

    /// <summary>As above, with a <see cref="TusUploader"/> on the same connection (for <c>upload</c> and <c>import</c>).</summary>
    public async Task<int> RunAsync(ParseResult result, Func<LonghaulClient, TusUploader, OutputMode, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var url = result.GetValue(_url)!;
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            await Console.Error.WriteLineAsync($"longhaul: --url '{url}' is not an http or https address.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        using var http = new HttpClient { BaseAddress = address };
        var options = new LonghaulClientOptions { ApiKey = result.GetValue(_apiKey) ?? (Environment.GetEnvironmentVariable("LONGHAUL_API_KEY") is { Length: > 0 } key ? key : null), ApiPath = result.GetValue(_apiPath)!, MaxRetries = MaxRetries };
        try
        {
            return await body(new LonghaulClient(http, options), new TusUploader(http, options), Output(result), cancellationToken).ConfigureAwait(false);
        }
        catch (LonghaulApiException ex)
        {
            await Console.Error.WriteLineAsync($"longhaul: {ex.Message}").ConfigureAwait(false);
            return ExitCode(ex.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"longhaul: cannot reach {address}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
    }

    private static int ExitCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => ExitCodes.NotFound,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.Auth,
        HttpStatusCode.Conflict => ExitCodes.Conflict,
        HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity => ExitCodes.Usage,
        _ => ExitCodes.Unavailable,
    };
}
