using System.Text.Encodings.Web;
using System.Text.Json;
using Longhaul.AspNetCore.OpenApi;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore;

/// <summary>Adds Longhaul's middleware and maps its endpoints onto an ASP.NET Core app.</summary>
public static class LonghaulEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Adds Longhaul's request pipeline: problem documents for every error, and API-key authentication of every path under
    /// an API mounted with keys (no <see cref="ILonghaulTenantSource"/>), before routing.
    /// </summary>
    public static IApplicationBuilder UseLonghaul(this IApplicationBuilder app) => app.UseMiddleware<LonghaulMiddleware>();

    /// <summary>
    /// The pipeline of a worker-only node (which maps only <see cref="MapLonghaulHealth"/> and <see cref="MapLonghaulMetrics"/>): <c>/v1/…</c> answers 404
    /// <c>not_an_api_node</c> before any authentication, and every other error is a problem document too.
    /// </summary>
    public static IApplicationBuilder UseLonghaulWorkerNode(this IApplicationBuilder app)
        => app.UseMiddleware<WorkerNodeMiddleware>().UseMiddleware<LonghaulMiddleware>();

    /// <summary>
    /// What <c>longhaul serve</c> maps: the operations API at <see cref="LonghaulEngineOptions.ApiPath"/> (<c>/v1/…</c>),
    /// <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapLonghaul(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapLonghaul(endpoints.ServiceProvider.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value.ApiPath);
        endpoints.MapLonghaulHealth();
        endpoints.MapLonghaulMetrics();
        // No MapFallback: a catch-all endpoint accepts every method, which turns routing's 405 into a 404. Unknown
        // routes (404) and wrong methods (405) end empty and LonghaulMiddleware writes their problem documents.
        return endpoints;
    }

    /// <summary>
    /// Mounts the operations API (<c>{prefix}/operations</c>, <c>{prefix}/kinds</c>, …) as a route group at
    /// <paramref name="prefix"/>, e.g. <c>/v1</c> or <c>/api/jobs</c>, and returns the group, on which the usual
    /// conventions apply (<c>.RequireAuthorization(…)</c>, <c>.RequireRateLimiting(…)</c>, …). <c>Location</c> headers and
    /// other links follow the prefix. The tenant of a request comes from the app's <see cref="ILonghaulTenantSource"/>
    /// when one is registered, otherwise from Longhaul's API keys. Health and metrics are not in the group: map them
    /// with <see cref="MapLonghaulHealth"/> and <see cref="MapLonghaulMetrics"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is not a literal path such as <c>/v1</c>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="prefix"/> differs from <see cref="LonghaulEngineOptions.ApiPath"/>.</exception>
    public static RouteGroupBuilder MapLonghaul(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!LonghaulEngineOptions.IsApiPath(prefix))
        {
            throw new ArgumentException($"MapLonghaul needs a literal path prefix such as \"/v1\" or \"/api/jobs\": a leading '/', no trailing '/', no route parameters (is \"{prefix}\").", nameof(prefix));
        }
        var services = endpoints.ServiceProvider;
        var apiPath = services.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value.ApiPath;
        if (!string.Equals(prefix, apiPath, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"MapLonghaul(\"{prefix}\") but Longhaul:ApiPath is \"{apiPath}\": set Longhaul:ApiPath (or AddLonghaul(…).ConfigureEngine(o => o.ApiPath = \"{prefix}\")) "
                + "so that the links handlers store, such as file URLs, point at this API.");
        }
        if (services.GetService<ILonghaulTenantSource>() is null) services.GetRequiredService<LonghaulApiMounts>().AddKeyChecked(prefix);
        var v1 = endpoints.MapGroup(prefix);
        ((IEndpointConventionBuilder)v1).Add(endpoint => endpoint.RequestDelegate = ApiGate.Wrap(endpoint.RequestDelegate!, prefix));
        v1.MapPost("/operations", OperationEndpoints.StartAsync).WithMetadata(ApiDocs.Start);
        v1.MapGet("/operations", OperationEndpoints.ListAsync).WithMetadata(ApiDocs.List);
        v1.MapGet("/operations/{id}", OperationEndpoints.GetAsync).WithMetadata(ApiDocs.Get);
        v1.MapGet("/operations/{id}/wait", OperationEndpoints.WaitAsync).WithMetadata(ApiDocs.Wait);
        v1.MapGet("/operations/{id}/request", StartRequestEndpoint.GetAsync).WithMetadata(ApiDocs.Request);
        v1.MapGet("/operations/{id}/events", EventStreamEndpoint.StreamAsync).WithMetadata(ApiDocs.Events);
        v1.MapMethods("/operations/{id}/files/{name}", FileEndpoint.Methods, FileEndpoint.GetAsync).WithMetadata(ApiDocs.File);
        v1.MapPost("/operations/{id}/cancel", OperationEndpoints.CancelAsync).WithMetadata(ApiDocs.Cancel);
        v1.MapDelete("/operations/{id}", OperationEndpoints.DeleteAsync).WithMetadata(ApiDocs.Delete);
        v1.MapGet("/operations/{id}/deliveries", WebhookEndpoints.ListDeliveriesAsync).WithMetadata(ApiDocs.Deliveries);
        v1.MapPost("/operations/{id}/deliveries/{deliveryId}/redeliver", WebhookEndpoints.RedeliverAsync).WithMetadata(ApiDocs.Redeliver);
        v1.MapGet("/webhooks/secret", WebhookEndpoints.GetSecretAsync).WithMetadata(ApiDocs.Secret);
        v1.MapPost("/webhooks/secret/rotate", WebhookEndpoints.RotateSecretAsync).WithMetadata(ApiDocs.Rotate);
        v1.MapMethods("/uploads", [HttpMethods.Options], Uploads.UploadEndpoints.OptionsAsync).WithMetadata(ApiDocs.UploadOptions);
        v1.MapPost("/uploads", Uploads.UploadEndpoints.CreateAsync).WithMetadata(ApiDocs.UploadCreate);
        v1.MapPut("/uploads", Uploads.UploadEndpoints.PutAsync).WithMetadata(ApiDocs.UploadPut);
        v1.MapMethods("/uploads/{id}", [HttpMethods.Head], Uploads.UploadEndpoints.HeadAsync).WithMetadata(ApiDocs.UploadHead);
        v1.MapGet("/uploads/{id}", Uploads.UploadEndpoints.GetAsync).WithMetadata(ApiDocs.UploadGet);
        v1.MapGet("/uploads/{id}/content", Uploads.UploadEndpoints.ContentAsync).WithMetadata(ApiDocs.UploadContent);
        v1.MapPatch("/uploads/{id}", Uploads.UploadEndpoints.PatchAsync).WithMetadata(ApiDocs.UploadPatch);
        v1.MapDelete("/uploads/{id}", Uploads.UploadEndpoints.DeleteAsync).WithMetadata(ApiDocs.UploadDelete);
        v1.MapGet("/events", ChangeStreamEndpoint.StreamAsync).WithMetadata(ApiDocs.ChangeStream);
        v1.MapGet("/overview", OverviewEndpoint.GetAsync).WithMetadata(ApiDocs.Overview);
        v1.MapGet("/kinds", OperationEndpoints.KindsAsync).WithMetadata(ApiDocs.Kinds);
        v1.MapGet("/usage", UsageEndpoint.GetAsync).WithMetadata(ApiDocs.Usage).WithMetadata(Admission.OperatorEndpoint.AndClients);
        v1.MapGet("/diagnostics/hold", DiagnosticsEndpoint.HoldAsync).WithMetadata(ApiDocs.Hold);
        v1.MapMethods("/proxy/{upstream}/{**path}", ProxyEndpoint.Methods, ProxyEndpoint.HandleAsync).WithMetadata(ApiDocs.Proxy);
        Workers.WorkerEndpoints.Map(v1);
        Workers.KindRegistrationEndpoints.Map(v1);
        Admission.TenantEndpoints.Map(v1);
        Workers.KindDeletionEndpoints.Map(v1);
        return v1;
    }

    /// <summary>
    /// Maps <c>/metrics</c>: Longhaul's meters in the Prometheus text format (OpenTelemetry's Prometheus exporter, ADR 19). Worker-only nodes map it too, since the
    /// meters of upstream calls (<c>Longhaul.Http</c>) are recorded where the calls run.
    /// </summary>
    public static IEndpointRouteBuilder MapLonghaulMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(ApiDocs.Metrics);
        return endpoints;
    }

    /// <summary>Maps only <c>/healthz</c> (the process is up) and <c>/readyz</c> (the store answers): with <see cref="MapLonghaulMetrics"/>, all a worker-only node serves.</summary>
    public static IEndpointRouteBuilder MapLonghaulHealth(this IEndpointRouteBuilder endpoints)
    {
        // With its Content-Type (it had none, which the contract test through Prism caught); framing unchanged.
        endpoints.MapGet("/healthz", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"status\":\"ok\"}");
        }).WithMetadata(ApiDocs.Health);
        endpoints.MapGet("/readyz", async (HttpContext context) =>
        {
            var ready = await context.RequestServices.GetRequiredService<IOperationStore>().PingAsync(context.RequestAborted).ConfigureAwait(false);
            if (ready) await WriteReadyAsync(context, context.RequestServices.GetRequiredService<StoreWarnings>().Current).ConfigureAwait(false);
            else await ProblemResults.WriteAsync(context, ProblemCodes.StoreUnavailable, "The store is not reachable.").ConfigureAwait(false);
        }).WithMetadata(ApiDocs.Ready);
        return endpoints;
    }

    /// <summary><c>{"status":"ready"}</c>, with the store's start-up <c>warnings</c> (code and message) when there are any.</summary>
    private static async Task WriteReadyAsync(HttpContext context, IReadOnlyList<StoreWarning> warnings)
    {
        context.Response.ContentType = "application/json";
        // Relaxed escaping: the messages name settings and numbers ('+', quotes), and this is JSON, never HTML.
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("status", "ready");
        if (warnings.Count > 0)
        {
            json.WriteStartArray("warnings");
            foreach (var warning in warnings)
            {
                json.WriteStartObject();
                json.WriteString("code", warning.Code);
                json.WriteString("message", warning.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
