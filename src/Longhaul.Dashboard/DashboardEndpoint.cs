using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.Dashboard;

/// <summary>
/// Serves <c>/ui/</c> and its files with a strict Content-Security-Policy: scripts and styles only from this origin
/// (no inline script or style), requests only to this origin, no framing, no referrer. Files are revalidated on every
/// load (ETag), so an upgraded server never runs an old script.
/// </summary>
internal static class DashboardEndpoint
{
    /// <summary>The policy on every dashboard answer.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static Task ServeAsync(HttpContext context, string? file)
    {
        var assets = context.RequestServices.GetRequiredService<DashboardAssets>();
        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        var response = context.Response;
        SecurityHeaders(response);
        if (!assets.Files.TryGetValue(name, out var asset))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Bytes, context.RequestAborted).AsTask();
    }

    /// <summary><c>/ui</c> without the slash: relative asset URLs need it.</summary>
    public static Task RedirectAsync(HttpContext context)
    {
        SecurityHeaders(context.Response);
        context.Response.Redirect(context.Request.PathBase + context.Request.Path + "/");
        return Task.CompletedTask;
    }

    private static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
