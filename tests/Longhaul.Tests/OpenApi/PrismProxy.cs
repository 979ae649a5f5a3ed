using System.Globalization;
using Longhaul.Testing;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// Stoplight Prism (npm <c>@stoplight/prism-cli</c> 5.16.0) as a real process: a validating proxy in front of a server,
/// checking every request and response against the server's own /openapi/v1.json (<c>--errors</c>: a violation
/// becomes an error answer, and every answer with one carries <c>sl-violations</c>).
/// </summary>
public sealed class PrismProxy : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _document;

    private PrismProxy(ChildProcess process, string document, Uri address)
    {
        _process = process;
        _document = document;
        Address = address;
    }

    /// <summary>Where Prism listens.</summary>
    public Uri Address { get; }

    /// <summary>What Prism printed so far.</summary>
    public string Log => _process.Output;

    /// <summary>The document Prism validates against (the upstream's, fetched at start).</summary>
    public string DocumentPath => _document;

    /// <summary>
    /// Fetches the upstream's document (no key) and starts Prism in front of it; with <paramref name="errors"/> a
    /// request violation is answered by Prism itself instead of being forwarded. The document comes from
    /// <paramref name="documentFrom"/> when given (a server behind <see cref="PrismForwarder"/>).
    /// </summary>
    public static async Task<PrismProxy> StartAsync(Uri upstream, bool errors = true, Uri? documentFrom = null)
    {
        using var anonymous = new HttpClient { BaseAddress = documentFrom ?? upstream };
        var document = Path.Combine(Path.GetTempPath(), $"longhaul-prism-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(document, await anonymous.GetStringAsync("/openapi/v1.json", Http.Ct), Http.Ct);
        var cli = await NodeModules.EnsureAsync("@stoplight/prism-cli/dist/index.js", Http.Ct);
        var port = LoopbackPort.Free();
        List<string> args = [cli, "proxy", document, upstream.ToString().TrimEnd('/'), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture)];
        if (errors) args.Add("--errors");
        var proxy = new PrismProxy(ChildProcess.Start(NodeModules.Node(args, NodeModules.Folder())), document, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await proxy._process.WaitForLineAsync(l => l.Contains("Prism is listening", StringComparison.Ordinal), TimeSpan.FromMinutes(2), Http.Ct);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        File.Delete(_document);
    }
}
