using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Longhaul.Tests.Infrastructure;

namespace Longhaul.Tests.OpenApi;

/// <summary>
/// Stoplight Prism (npm <c>@stoplight/prism-cli</c> 5.16.0) as a real process: a validating proxy in front of a server,
/// checking every request and response against the server's own /openapi/v1.json (<c>--errors</c>: a violation
/// becomes an error answer, and every answer with one carries <c>sl-violations</c>).
/// </summary>
public sealed class PrismProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _document;

    private PrismProxy(Process process, string document, Uri address)
    {
        _process = process;
        _document = document;
        Address = address;
    }

    /// <summary>Where Prism listens.</summary>
    public Uri Address { get; }

    /// <summary>What Prism printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

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
        var cli = await NodeTools.ScriptAsync("@stoplight/prism-cli/dist/index.js");
        var port = FreePort();
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = NodeTools.Folder() };
        foreach (var arg in new[] { cli, "proxy", document, upstream.ToString().TrimEnd('/'), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(arg);
        if (errors) start.ArgumentList.Add("--errors");
        start.Environment["NO_COLOR"] = "1";
        var process = Process.Start(start)!;
        var proxy = new PrismProxy(process, document, new Uri($"http://127.0.0.1:{port}"));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (proxy._log) proxy._log.AppendLine(e.Data);
            if (e.Data.Contains("Prism is listening", StringComparison.Ordinal)) listening.TrySetResult();
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("prism exited:\n" + proxy.Log));
        await listening.Task.WaitAsync(TimeSpan.FromMinutes(2), Http.Ct);
        return proxy;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
        File.Delete(_document);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
