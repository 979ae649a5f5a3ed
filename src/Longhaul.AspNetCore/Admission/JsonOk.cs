using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// 200 with a wire type written through Longhaul's source-generated JSON (snake_case, UTC timestamps), declared as the
/// endpoint's 200 response for OpenAPI. The framework's <c>Ok&lt;T&gt;</c> would use the app's JSON options instead.
/// </summary>
/// <typeparam name="T">The wire type.</typeparam>
public sealed class JsonOk<T> : IResult, IEndpointMetadataProvider
{
    private readonly T _value;
    private readonly JsonTypeInfo<T> _type;

    /// <summary>The answer <paramref name="value"/>, written with <paramref name="type"/>.</summary>
    public JsonOk(T value, JsonTypeInfo<T> type)
    {
        _value = value;
        _type = type;
    }

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext) => JsonResponses.WriteAsync(httpContext, _value, _type);

    /// <inheritdoc/>
#pragma warning disable CA1000 // IEndpointMetadataProvider is a static abstract member: the framework calls it on the generic type.
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
    }
#pragma warning restore CA1000
}
