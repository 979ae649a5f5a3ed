using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Longhaul.Testing;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A real nginx (Debian package) on loopback in front of a Longhaul server, with a generated configuration, its own
/// prefix, pid and logs under a temporary directory, run in the foreground (<c>daemon off</c>) as a child process.
/// Missing nginx skips the test locally and fails it when <c>CI=true</c>.
/// </summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _root;

    private NginxProcess(ChildProcess process, string root, Uri address)
    {
        _process = process;
        _root = root;
        Address = address;
    }

    public Uri Address { get; }

    public string Output => _process.Output + "\n" + ReadErrorLog();

    public static string? Find() => new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    public static async Task<NginxProcess> StartAsync(Uri upstream, string proxyReadTimeout, CancellationToken cancellationToken)
    {
        var binary = Find();
        if (binary is null)
        {
            const string message = "nginx is not installed (apt-get install -y --no-install-recommends nginx).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
            Assert.Skip(message);
        }
        var root = Path.Combine(Path.GetTempPath(), "longhaul-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "logs"));
        Directory.CreateDirectory(Path.Combine(root, "temp"));
        var port = LoopbackPort.Free();
        var config = $$"""
            daemon off;
            worker_processes 1;
            pid {{root}}/nginx.pid;
            error_log {{root}}/logs/error.log warn;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path {{root}}/temp/body;
              proxy_temp_path {{root}}/temp/proxy;
              fastcgi_temp_path {{root}}/temp/fastcgi;
              uwsgi_temp_path {{root}}/temp/uwsgi;
              scgi_temp_path {{root}}/temp/scgi;
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://{{upstream.Authority}};
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_read_timeout {{proxyReadTimeout}};
                  proxy_buffering off;
                }
              }
            }
            """;
        var configPath = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);
        var process = ChildProcess.Start(new ProcessStartInfo(binary!, ["-p", root + "/", "-c", configPath, "-e", Path.Combine(root, "logs", "error.log")]));
        var nginx = new NginxProcess(process, root, new Uri($"http://127.0.0.1:{port}/"));
        // nginx says nothing when it listens: the port is probed.
        var listening = await Eventually.ValueAsync(() => Task.FromResult(process.HasExited ? (bool?)null : CanConnect(port)),
            ok => ok is null or true, TimeSpan.FromSeconds(15));
        if (listening != true)
        {
            var output = nginx.Output;
            await nginx.DisposeAsync();
            Assert.Fail($"nginx did not start listening on 127.0.0.1:{port}:\n{output}");
        }
        return nginx;
    }

    private string ReadErrorLog()
    {
        try
        {
            return File.ReadAllText(Path.Combine(_root, "logs", "error.log"));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
