using System.Net.Http.Headers;
using System.Text;
using Longhaul.AspNetCore;
using Longhaul.Server;
using Longhaul.Sqlite;
using Longhaul.Tests.OpenApi;
using Longhaul.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Longhaul.Tests.Infrastructure;

/// <summary>
/// A real Longhaul server on a loopback port with its own data directory and the test kinds registered.
/// With tenants, an API key per tenant is created before the first request, and <see cref="Client"/> uses the first.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDir;
    private readonly List<Gate> _gates = [];
    private readonly List<HttpClient> _clients = [];
    private PrismRoute? _prism;

    private TestHost(WebApplication app, string dataDir, Uri address)
    {
        _app = app;
        _dataDir = dataDir;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>API keys by tenant.</summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>A client with the first tenant's key (or none in development mode).</summary>
    public HttpClient Client { get; private set; } = null!;

    public static Task<TestHost> StartAsync(
        Action<LonghaulEngineOptions>? engine = null, Action<LonghaulApiOptions>? api = null, params string[] tenants)
        => StartCoreAsync(engine, api, null, tenants);

    /// <summary>A host with extra configuration keys (e.g. <c>Longhaul:Upstreams:…</c>), read as if from appsettings.json.</summary>
    public static Task<TestHost> StartWithSettingsAsync(IReadOnlyDictionary<string, string?> settings, params string[] tenants)
        => StartCoreAsync(null, null, settings, tenants);

    /// <summary>A host with extra services (e.g. handlers) and configuration keys, read as if from appsettings.json.</summary>
    public static Task<TestHost> StartWithServicesAsync(Action<IServiceCollection> services, IReadOnlyDictionary<string, string?>? settings = null, params string[] tenants)
        => StartCoreAsync(null, null, settings, tenants, services);

    /// <summary>A host with extra configuration keys whose store fails on demand (see <see cref="FaultyStore"/>).</summary>
    public static async Task<(TestHost Host, FaultyStore Faults)> StartWithFaultyStoreAsync(IReadOnlyDictionary<string, string?> settings)
    {
        FaultyStore? faults = null;
        var host = await StartCoreAsync(null, null, settings, [], services => services.AddSingleton(sp =>
        {
            var (store, f) = FaultyStore.Wrap(sp.GetRequiredService<SqliteOperationStore>());
            faults = f;
            return store;
        }));
        return (host, faults ?? throw new InvalidOperationException("The store was never resolved."));
    }

    private static async Task<TestHost> StartCoreAsync(
        Action<LonghaulEngineOptions>? engine, Action<LonghaulApiOptions>? api, IReadOnlyDictionary<string, string?>? settings, string[] tenants,
        Action<IServiceCollection>? services = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "longhaul-tests", Guid.NewGuid().ToString("N"));
        var builder = LonghaulServer.CreateBuilder(new ServeSettings { Urls = "http://127.0.0.1:0", DataDir = dataDir });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddOperationHandler<GateHandler>();
        builder.Services.AddOperationHandler<StubbornHandler>();
        builder.Services.AddOperationHandler<FailHandler>();
        builder.Services.AddOperationHandler<StreamHandler>();
        builder.Services.AddOperationHandler<EchoHandler>();
        builder.Services.Configure<LonghaulEngineOptions>(o =>
        {
            o.ShutdownGracePeriod = TimeSpan.Zero;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
            engine?.Invoke(o);
        });
        builder.Services.Configure<LonghaulApiOptions>(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
            api?.Invoke(o);
        });
        services?.Invoke(builder.Services);
        var app = LonghaulServer.Build(builder);

        // Keys go in before the server starts: the start-up report caches "no keys" for a second.
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tenants.Length > 0)
        {
            var store = app.Services.GetRequiredService<IOperationStore>();
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            foreach (var tenant in tenants)
            {
                var key = ApiKeys.NewKey();
                await store.CreateApiKeyAsync(new CreateApiKeyParams(ApiKeys.NewId(), tenant, ApiKeys.Hash(key), DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);
                keys[tenant] = key;
            }
        }
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new TestHost(app, dataDir, new Uri(address));
        foreach (var (tenant, key) in keys) host.Keys[tenant] = key;
        host.Client = host.CreateClient(tenants.Length > 0 ? host.Keys[tenants[0]] : null);
        return host;
    }

    /// <summary>A new client, with <c>Authorization: Bearer {apiKey}</c> when given. Header values are sent as UTF-8.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        HttpMessageHandler handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 };
        if (PrismRoute.Enabled)
        {
            lock (_clients) _prism ??= new PrismRoute(Address, Keys.Count == 0);
            handler = _prism.Wrap(handler);
        }
        var client = new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        lock (_clients) _clients.Add(client);
        return client;
    }

    public HttpClient ClientFor(string tenant) => CreateClient(Keys[tenant]);

    /// <summary>A gate released at the latest when the host is disposed.</summary>
    public Gate NewGate()
    {
        var gate = Gates.New();
        lock (_gates) _gates.Add(gate);
        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gates)
        {
            foreach (var gate in _gates)
            {
                gate.Open();
                Gates.Forget(gate);
            }
        }
        lock (_clients)
        {
            foreach (var client in _clients) client.Dispose();
        }
        if (_prism is not null) await _prism.DisposeAsync();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
        _prism?.ThrowIfViolated();
    }
}
