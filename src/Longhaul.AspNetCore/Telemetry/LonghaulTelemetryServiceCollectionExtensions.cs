using Longhaul.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Longhaul.AspNetCore.Telemetry;

/// <summary>
/// Registers OpenTelemetry for Longhaul's meters and activity source: the Prometheus exposition behind
/// <c>/metrics</c> always, OTLP export of metrics and traces only when the standard <c>OTEL_EXPORTER_OTLP_*</c>
/// endpoint settings are present (so an unconfigured node samples no traces and exports nothing).
/// </summary>
public static class LonghaulTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The meters Longhaul records on: the engine, the <c>http</c> kind's upstream calls, webhook deliveries, imports and
    /// uploads, exports and their download links, refusals by the per-tenant limits.
    /// </summary>
    public static readonly IReadOnlyList<string> MeterNames = [LonghaulMetrics.MeterName, "Longhaul.Http", "Longhaul.Webhooks", "Longhaul.Import", "Longhaul.Export", "Longhaul.Limits"];

    /// <summary>
    /// Adds the OpenTelemetry metrics pipeline (Longhaul's meters, Prometheus exporter for <c>/metrics</c>) and, when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> or
    /// <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c> is set (in <paramref name="configuration"/> or the environment), OTLP
    /// export of metrics and traces (ASP.NET Core and HttpClient instrumentation plus the <c>Longhaul</c> source).
    /// Called by <c>AddLonghaulApi</c>; calling it again adds nothing.
    /// </summary>
    public static IServiceCollection AddLonghaulTelemetry(this IServiceCollection services, IConfiguration? configuration = null)
    {
        if (services.Any(d => d.ServiceType == typeof(Marker))) return services;
        services.AddSingleton<Marker>();
        var otlp = OtlpConfigured(configuration);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("longhaul", serviceVersion: typeof(LonghaulTelemetryServiceCollectionExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. MeterNames]);
                // Scrapes read the current values: the exporter's default 300 ms response cache would hide recent work.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp.Metrics) metrics.AddOtlpExporter();
            });
        if (otlp.Traces)
        {
            services.AddSingleton<IStartupFilter, HttpServerSpanTags>();
            builder.WithTracing(tracing => tracing
                .AddSource(LonghaulTracing.SourceName)
                .AddSource(AspNetCoreSourceName)
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
        return services;
    }

    /// <summary>ASP.NET Core's own activity source: its request span, tagged by <see cref="HttpServerSpanTags"/>.</summary>
    private const string AspNetCoreSourceName = "Microsoft.AspNetCore";

    private static (bool Traces, bool Metrics) OtlpConfigured(IConfiguration? configuration)
    {
        bool Set(string name) => !string.IsNullOrWhiteSpace(configuration?[name] ?? Environment.GetEnvironmentVariable(name));
        var all = Set("OTEL_EXPORTER_OTLP_ENDPOINT");
        return (all || Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), all || Set("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
    }

    private sealed class Marker;
}
