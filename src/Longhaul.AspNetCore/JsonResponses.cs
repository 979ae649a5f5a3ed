using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore;

/// <summary>
/// Writes JSON bodies with a Content-Length: serializing to bytes first lets Kestrel send headers and body in one
/// write, where streaming serialization means chunked encoding and a second send for the final chunk.
/// </summary>
internal static class JsonResponses
{
    public const string Json = "application/json; charset=utf-8";

    public static Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, string contentType = Json)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }
}
