using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Longhaul.AspNetCore;

/// <summary>
/// Wraps every request: unhandled errors become a 500 problem (never a stack trace), empty error answers from
/// routing (404, 405) get a problem body, and <c>/v1</c> calls are authenticated to a tenant.
/// </summary>
internal sealed partial class LonghaulMiddleware(RequestDelegate next, TenantResolver tenants, ILogger<LonghaulMiddleware> logger)
{
    public const string TenantItem = "longhaul.tenant";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            if (context.Request.Path.StartsWithSegments("/v1"))
            {
                var tenant = await tenants.ResolveAsync(context).ConfigureAwait(false);
                if (tenant is null)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await ProblemResults.WriteAsync(context, 401, ProblemCodes.Unauthorized, "Unauthorized",
                        "A valid API key is required: send 'Authorization: Bearer <key>'.").ConfigureAwait(false);
                    return;
                }
                context.Items[TenantItem] = tenant;
            }
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentType is null)
            {
                var (code, title, detail) = context.Response.StatusCode switch
                {
                    404 => (ProblemCodes.NotFound, "Not found", "No such route."),
                    405 => (ProblemCodes.MethodNotAllowed, "Method not allowed", $"This route does not accept {context.Request.Method}; see the Allow header."),
                    413 => (ProblemCodes.BodyTooLarge, "Request body too large", "The request body is too large."),
                    415 => (ProblemCodes.UnsupportedMediaType, "Unsupported media type", "The request's content type is not supported."),
                    _ => ("http_error", "Request failed", "The request failed."),
                };
                await ProblemResults.WriteAsync(context, context.Response.StatusCode, code, title, detail).ConfigureAwait(false);
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel found the body's framing bad (or too large, or too slow) while the app read it.
            var (code, title, _) = RejectedRequestProblems.Describe(ex.StatusCode);
            await ProblemResults.WriteAsync(context, ex.StatusCode, code, title, ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex)
        {
            LogUnhandled(ex, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await ProblemResults.WriteAsync(context, 500, ProblemCodes.InternalError, "Internal error",
                    "The server failed to handle the request; it has been logged.").ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private partial void LogUnhandled(Exception ex, string method, string path);
}
