using System.Net;
using Longhaul.Testing;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>A running <c>longhaul serve</c> on a free loopback port, ready (start-up log written, <c>/healthz</c> = 200).</summary>
internal sealed class LonghaulServerProcess : IAsyncDisposable
{
    public const string ListeningLine = "Longhaul listening on";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private LonghaulServerProcess(LonghaulProcess process, Uri baseAddress)
    {
        Process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public LonghaulProcess Process { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public string Output => Process.Output;

    /// <summary>Starts <c>serve</c> on <paramref name="dataDir"/>; retries with another port if the chosen one got taken meanwhile.</summary>
    public static Task<LonghaulServerProcess> StartAsync(string dataDir, IReadOnlyDictionary<string, string>? environment, string workingDirectory, CancellationToken cancellationToken)
        => StartAsync(["--data-dir", dataDir], environment, workingDirectory, cancellationToken);

    /// <summary>Starts <c>serve --urls … {serveArgs}</c>; retries with another port if the chosen one got taken meanwhile.</summary>
    public static Task<LonghaulServerProcess> StartAsync(IReadOnlyList<string> serveArgs, IReadOnlyDictionary<string, string>? environment, string workingDirectory, CancellationToken cancellationToken)
        => StartAsync(serveArgs, environment, workingDirectory, null, cancellationToken);

    /// <summary>Starts <c>serve --urls … {serveArgs}</c> on <paramref name="fixedPort"/> (a restart where clients expect it), else on a free port.</summary>
    public static async Task<LonghaulServerProcess> StartAsync(IReadOnlyList<string> serveArgs, IReadOnlyDictionary<string, string>? environment, string workingDirectory, int? fixedPort, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = fixedPort ?? LoopbackPort.Free();
            var url = $"http://127.0.0.1:{port}";
            var process = LonghaulProcess.Start(["serve", "--urls", url, .. serveArgs], environment, workingDirectory);
            try
            {
                await process.WaitForLineAsync(l => l.Contains(ListeningLine, StringComparison.Ordinal), StartTimeout, cancellationToken);
            }
            catch (InvalidOperationException) when (fixedPort is null && attempt < 3 && process.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await process.DisposeAsync();
                continue;
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }

            var server = new LonghaulServerProcess(process, new Uri(url));
            using var health = await server.Http.GetAsync("/healthz", cancellationToken);
            Assert.True(health.StatusCode == HttpStatusCode.OK, $"/healthz answered {(int)health.StatusCode} after start-up.\n{process.Output}");
            return server;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
