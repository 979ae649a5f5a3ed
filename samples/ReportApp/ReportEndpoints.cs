using System.Security.Claims;
using Longhaul;
using ReportKind;
using Microsoft.AspNetCore.Mvc;

namespace ReportApp;

/// <summary>The app's own endpoint: <c>POST /reports</c> starts a <c>report</c> from code, without calling Longhaul's HTTP API.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/reports", StartAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> StartAsync(
        ReportInput input,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user,
        IOperationStarter starter,
        CancellationToken cancellationToken)
    {
        // The same tenant Longhaul's API gives this user (UseTenantFromClaim), so the report is theirs over /v1 too.
        if (user.FindFirst(DemoBearerHandler.TenantClaim)?.Value is not { } tenant)
        {
            return Results.Problem("The signed-in user has no tenant.", statusCode: StatusCodes.Status403Forbidden);
        }
        try
        {
            var started = await starter.StartAsync(ReportHandler.KindName, input,
                new OperationStartOptions { Tenant = tenant, IdempotencyKey = idempotencyKey }, cancellationToken);
            var operation = started.Operation;
            // Location: the operation in Longhaul's API, which MapLonghaul("/v1") mounts in this same app.
            return Results.Accepted($"/v1/operations/{operation.Id}", new { id = operation.Id, replayed = started.Replayed });
        }
        catch (OperationValidationException ex)
        {
            return Results.ValidationProblem(ex.Errors, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        catch (IdempotencyKeyReusedException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        catch (IdempotencyKeyInFlightException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
