using System.Globalization;
using System.Text.Json;
using Longhaul.Contracts;
using Microsoft.AspNetCore.Http;

namespace Longhaul.Tests.Client;

/// <summary>Answers a fake Longhaul server writes: resources and problem documents as the real one sends them.</summary>
internal static class FakeResponses
{
    public static OperationResource Operation(string id, OperationStatus status, string? result = null, OperationError? error = null) => new()
    {
        Id = id,
        Kind = "sleep",
        Status = status,
        Done = status.IsTerminal(),
        Result = result is null ? null : JsonDocument.Parse(result).RootElement.Clone(),
        Error = error,
        MaxAttempts = 3,
    };

    public static async Task ResourceAsync(HttpContext context, int status, OperationResource operation, int? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(JsonSerializer.Serialize(operation, LonghaulJson.Default.OperationResource), context.RequestAborted);
    }

    public static async Task ProblemAsync(HttpContext context, int status, string code, int? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        if (retryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = new Problem { Title = code, Status = status, Code = code };
        await context.Response.WriteAsync(JsonSerializer.Serialize(problem, LonghaulJson.Default.Problem), context.RequestAborted);
    }
}
