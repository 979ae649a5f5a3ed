using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A running sample app (<c>samples/&lt;Name&gt;</c>'s built executable, found like <see cref="LonghaulBinary"/>) on a
/// port Kestrel picks (<c>--urls http://127.0.0.1:0</c>), ready once it logs <c>Now listening on: …</c> and
/// <c>/healthz</c> answers 200.
/// </summary>
internal sealed partial class SampleAppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<HttpClient> _clients = [];

    private SampleAppProcess(LonghaulProcess process, Uri baseAddress, string? bearerToken)
    {
        Process = process;
        BaseAddress = baseAddress;
        Http = CreateClient(bearerToken);
    }

    public LonghaulProcess Process { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client with the app's default bearer token (the one given to <see cref="StartAsync"/>), if any.</summary>
    public HttpClient Http { get; }

    /// <summary>A new client on the app, with <c>Authorization: Bearer {bearerToken}</c> when given; disposed with the app.</summary>
    public HttpClient CreateClient(string? bearerToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (bearerToken is not null) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        _clients.Add(client);
        return client;
    }

    /// <summary>
    /// Starts sample <paramref name="name"/> with <paramref name="environment"/> in <paramref name="workingDirectory"/> and
    /// awaits its readiness; <see cref="Http"/> sends <paramref name="bearerToken"/> when given.
    /// </summary>
    public static async Task<SampleAppProcess> StartAsync(string name, IReadOnlyDictionary<string, string> environment, string workingDirectory, CancellationToken cancellationToken, string? bearerToken = null)
    {
        var process = LonghaulProcess.Start(Locate(name), ["--urls", "http://127.0.0.1:0"], environment, workingDirectory);
        try
        {
            var line = await process.WaitForLineAsync(l => ListeningLine().IsMatch(l), StartTimeout, cancellationToken);
            var app = new SampleAppProcess(process, new Uri(ListeningLine().Match(line).Groups["url"].Value), bearerToken);
            using var health = await app.Http.GetAsync("/healthz", cancellationToken);
            Assert.True(health.IsSuccessStatusCode, $"/healthz answered {(int)health.StatusCode} after start-up.\n{process.Output}");
            return app;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>GETs a JSON resource; asserts 200.</summary>
    public async Task<JsonNode> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}\n{Process.Output}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Long-polls <c>{location}/wait</c> until the operation is done (each poll capped at 30 s by the server).</summary>
    public async Task<JsonNode> WaitUntilDoneAsync(string location, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var op = await GetJsonAsync($"{location}/wait?timeout=30", cancellationToken);
            if (op["done"]!.GetValue<bool>()) return op;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{location} not done within {timeout.TotalSeconds} s: {op.ToJsonString()}\n{Process.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await Process.DisposeAsync();
    }

    /// <summary><c>&lt;repo&gt;/samples/&lt;name&gt;/bin/&lt;Configuration&gt;/&lt;framework&gt;/&lt;name&gt;</c>, for this test assembly's configuration.</summary>
    public static string Locate(string name)
    {
        var longhaul = new FileInfo(LonghaulBinary.Path);   // <repo>/src/Longhaul.Server/bin/<Configuration>/<framework>/longhaul
        var framework = longhaul.Directory!;
        var configuration = framework.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!;
        var executable = Path.Combine(root.FullName, "samples", name, "bin", configuration.Name, framework.Name, OperatingSystem.IsWindows() ? name + ".exe" : name);
        if (!File.Exists(executable)) throw new InvalidOperationException($"The sample is not at '{executable}'; build samples/{name} ({configuration.Name}) first.");
        return executable;
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
