using Longhaul;
using ReportKind;
using Microsoft.AspNetCore.Mvc;

namespace ReportApp;

/// <summary>The app's own endpoint: <c>POST /reports</c> starts a <c>report</c> from code, without calling Longhaul's HTTP API.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/reports", StartAsync);
        return endpoints;
    }

    private static async Task<IResult> StartAsync(
        ReportInput input,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        IOperationStarter starter,
        CancellationToken cancellationToken)
    {
        try
        {
            var started = await starter.StartAsync(ReportHandler.KindName, input,
                new OperationStartOptions { IdempotencyKey = idempotencyKey }, cancellationToken);
            var operation = started.Operation;
            // Location: the operation in Longhaul's API, which MapLonghaul mounts in this same app.
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
