using Longhaul.Storage;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Longhaul.OpenApi;

/// <summary>
/// Replaces what ApiExplorer found (Longhaul's handlers write their answers themselves, so it finds little) with the
/// document built from every mapped endpoint's <see cref="AspNetCore.OpenApi.ApiDoc"/>, the wire types' schemas and
/// the kinds known now (ADR 28). Runs at each fetch, so kinds registered at run time appear on the next one.
/// </summary>
internal sealed class LonghaulDocumentTransformer : IOpenApiDocumentTransformer
{
    /// <inheritdoc />
    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var services = context.ApplicationServices;
        var json = DocumentJson.Build(services.GetRequiredService<EndpointDataSource>().Endpoints);
        await KindSchemas.AddAsync(json, services.GetRequiredService<OperationHandlerRegistry>(), services.GetRequiredService<IOperationStore>(), cancellationToken).ConfigureAwait(false);
        var read = OpenApiDocument.Parse(json.ToJsonString(), OpenApiConstants.Json);
        var parsed = read.Document ?? throw new InvalidOperationException("The OpenAPI document did not parse: " + string.Join("; ", read.Diagnostic?.Errors.Select(e => e.ToString()) ?? []));
        document.Info = parsed.Info;
        document.Tags = parsed.Tags;
        document.Paths = parsed.Paths;
        document.Components = parsed.Components;
        document.Extensions = parsed.Extensions;
        // The generator names the request's origin with a trailing '/': the paths start with '/' already.
        foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
    }
}
