using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace Longhaul.OpenApi;

/// <summary>The OpenAPI document of Longhaul's API at <c>/openapi/v1.json</c> and the API reference page at <c>/scalar/v1</c>.</summary>
public static class LonghaulOpenApiExtensions
{
    /// <summary>The document name: the document is served at <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    /// <summary>Registers the <c>v1</c> OpenAPI 3.1 document, built from the endpoints Longhaul maps and the kinds known at each fetch.</summary>
    public static IServiceCollection AddLonghaulOpenApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<LonghaulDocumentTransformer>();
        });
        return services;
    }

    /// <summary>
    /// Maps <c>/openapi/v1.json</c> and the API reference page <c>/scalar/v1</c>, both without an API key (outside the
    /// API's path): the document describes the API and the kinds every tenant sees, never one tenant's data. The page's
    /// scripts are served from the Scalar assembly (no CDN, no fonts, no telemetry), so it works offline.
    /// </summary>
    public static IEndpointRouteBuilder MapLonghaulOpenApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        endpoints.MapScalarApiReference("/scalar", options => options
            .WithTitle("Longhaul HTTP API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent());
        return endpoints;
    }
}
