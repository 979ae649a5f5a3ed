using Longhaul.Storage;
using Microsoft.AspNetCore.Http;

namespace Longhaul.AspNetCore.Uploads;

/// <summary>Problem answers of the upload endpoints; a HEAD answer carries the status and headers only.</summary>
internal static class UploadProblems
{
    public static Task WriteAsync(HttpContext context, string code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = Contracts.ProblemCatalog.Get(code).Status;
            return Task.CompletedTask;
        }
        return ProblemResults.WriteAsync(context, code, detail, errors);
    }

    public static Task BadHeaderAsync(HttpContext context, string header, string message)
        => WriteAsync(context, Contracts.ProblemCodes.InvalidParameter, message, new Dictionary<string, string[]> { [header] = [message] });

    /// <summary>404 or 410 for an upload that is missing or expired; false when it is usable.</summary>
    public static async Task<bool> MissingAsync(HttpContext context, UploadRecord? upload)
    {
        if (upload is null)
        {
            await WriteAsync(context, Contracts.ProblemCodes.UploadNotFound, "No upload with this id exists for this tenant.").ConfigureAwait(false);
            return true;
        }
        if (!upload.Expired) return false;
        await WriteAsync(context, Contracts.ProblemCodes.UploadExpired, $"The upload expired at {upload.ExpiresAt:O}; start a new one.").ConfigureAwait(false);
        return true;
    }
}
