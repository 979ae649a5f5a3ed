using Longhaul.AspNetCore;
using Longhaul.Dashboard;
using Longhaul.Export;
using Longhaul.Import;
using Longhaul.OpenApi;
using Longhaul.Postgres;
using Longhaul.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Longhaul.Server;

/// <summary>The composition root of <c>longhaul serve</c>; tests build the same app in-process.</summary>
public static partial class LonghaulServer
{
    /// <summary>A builder with the API, the workers and the store (SQLite or PostgreSQL) wired up from configuration and <paramref name="settings"/>.</summary>
    public static WebApplicationBuilder CreateBuilder(ServeSettings settings, string[]? args = null)
    {
        // Configuration is read once at start: no file watchers on appsettings.json.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false", .. args ?? []],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        var config = builder.Configuration;
        var urls = settings.Urls ?? config["Longhaul:Urls"] ?? ServeSettings.DefaultUrls;
        var store = StoreSelection.Resolve(config, settings.Store, settings.Connection, settings.DataDir, settings.NoMigrate);
        var role = ParseRole(settings.Role ?? config["Longhaul:Role"]);
        if (role != ServeRole.All && store.Postgres is null)
        {
            throw new InvalidOperationException("--role api and --role worker need a store the nodes share: add --store postgres.");
        }

        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 64L * 1024 * 1024;
            // Kestrel's own rejections (bad request line, headers too large, …) answer problem documents too (ADR 11).
            k.ConfigureEndpointDefaults(listen => listen.UseLonghaulRejectionProblems());
        });
        builder.Logging.ClearProviders();
        if (string.Equals(config["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line, with the scopes (an attempt's OperationId, Kind, Attempt, Tenant) as fields.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        builder.Services.AddSingleton(new ServeContext(store.Describe(), role, store.DataDir));
        var longhaul = builder.Services.AddLonghaul(config, o =>
            {
                if (role == ServeRole.Api) o.RunWorkers = false;
                o.MigrateOnStart = store.Postgres?.MigrateOnStart ?? true;
            })
            .AddHttpKind()
            .AddExportKind()
            .AddImportKind()
            .AddApi();
        builder.Services.AddLonghaulDashboard();
        builder.Services.AddLonghaulOpenApi();
        if (store.Postgres is { } postgres)
        {
            // Each role listens only to what it acts on: workers to new work and cancels, the API to changes (and, with
            // remote kinds, to new work too: it wakes remote workers' long-poll claims).
            postgres.ReceiveWorkNotifications = role != ServeRole.Api || config.GetSection("Longhaul:RemoteKinds").GetChildren().Any();
            postgres.ReceiveChangeNotifications = role != ServeRole.Worker;
            longhaul.UsePostgres(postgres);
        }
        else
        {
            Directory.CreateDirectory(store.DataDir!);
            longhaul.UseSqlite(store.DatabasePath!);
        }
        return builder;
    }

    /// <summary>Builds the app: the data-directory lock (SQLite), the pipeline for the role and the start-up report.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        var context = app.Services.GetRequiredService<ServeContext>();
        if (context.DataDir is { } dataDir)
        {
            var dirLock = DataDirectoryLock.Acquire(dataDir);
            app.Lifetime.ApplicationStopped.Register(dirLock.Dispose);
        }
        if (context.Role == ServeRole.Worker)
        {
            app.UseLonghaulWorkerNode();
            app.MapLonghaulHealth();
            app.MapLonghaulMetrics();
        }
        else
        {
            app.UseLonghaul();
            app.MapLonghaul();
            app.MapLonghaulDownloads();
            app.MapLonghaulDashboard();
            app.MapLonghaulOpenApi();
        }
        app.Lifetime.ApplicationStarted.Register(() => ReportStartup(app, context));
        var shutdownLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Longhaul.Server");
        app.Lifetime.ApplicationStopping.Register(() => LogStopping(shutdownLogger));
        app.Lifetime.ApplicationStopped.Register(() => LogStopped(shutdownLogger));
        return app;
    }

    private static void ReportStartup(WebApplication app, ServeContext context)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Longhaul.Server");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LonghaulEngineOptions>>().Value;
        var kinds = app.Services.GetRequiredService<OperationHandlerRegistry>().Kinds;
        LogListening(logger, string.Join(", ", addresses));
        LogStore(logger, context.StoreDescription);
        LogRole(logger, context.Role.ToString().ToLowerInvariant(), context.Role switch
        {
            ServeRole.Api => "the API only; this node never claims work",
            ServeRole.Worker => "workers only; HTTP serves /healthz, /readyz and /metrics, /v1 answers 404 not_an_api_node",
            _ => "the API and workers",
        });
        LogKinds(logger, string.Join(", ", kinds), options.RunWorkers ? options.WorkerSlots : 0);
        if (context.Role == ServeRole.Worker) return;
        var anyKeys = app.Services.GetRequiredService<TenantResolver>().AnyKeysAsync(app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (!anyKeys) LogNoKeys(logger);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Longhaul listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Longhaul stopping")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Longhaul stopped")]
    private static partial void LogStopped(ILogger logger);

    private static ServeRole ParseRole(string? role) => (role ?? "all").Trim().ToLowerInvariant() switch
    {
        "all" => ServeRole.All,
        "api" => ServeRole.Api,
        "worker" => ServeRole.Worker,
        _ => throw new InvalidOperationException($"Unknown role '{role}': use all, api or worker (--role or Longhaul:Role)."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: {Store}")]
    private static partial void LogStore(ILogger logger, string store);

    [LoggerMessage(Level = LogLevel.Information, Message = "Role: {Role} ({Meaning})")]
    private static partial void LogRole(ILogger logger, string role, string meaning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kinds: {Kinds}; worker slots: {Slots}")]
    private static partial void LogKinds(ILogger logger, string kinds, int slots);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API keys exist: running in single-tenant development mode, every caller is tenant 'default'. Create a key with 'longhaul keys create --tenant NAME' to require keys.")]
    private static partial void LogNoKeys(ILogger logger);
}
