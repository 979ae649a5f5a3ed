using System.Text.Json;
using Longhaul.Client;
using Longhaul.Contracts;
using ReportClient;

if (ReportArguments.Parse(args) is not { } arguments)
{
    Console.Error.WriteLine(ReportArguments.Usage);
    return 64;
}

using var http = new HttpClient { BaseAddress = arguments.Url };
var client = new LonghaulClient(http, arguments.Token);   // sent as Authorization: Bearer, which ReportApp's sign-in reads

try
{
    // An Idempotency-Key makes a retry of this command (after a timeout, a crash) return the same report, not a second one.
    var input = new ReportRequest(arguments.Title, arguments.Pages, arguments.PageMilliseconds);
    var start = new StartOperationOptions { IdempotencyKey = arguments.IdempotencyKey, TimeoutSeconds = arguments.TimeoutSeconds };
    var operation = await client.StartAsync<ReportRequest, JsonElement>("report", input, start);
    Console.WriteLine($"Started {operation.Id} ({operation.Status.ToWire()})");

    // The operation's events from its first (after event 0, so none is missed however fast it runs) until it is done:
    // one progress event per page saved. A dropped connection or a server restart is resumed where it stopped.
    await foreach (var e in operation.WatchAsync(afterEventId: 0))
    {
        if (e is OperationProgressEvent p) Console.WriteLine($"Page {p.Progress.Current} of {p.Progress.Total}");
    }

    // Done: the result, or the error code and a non-zero exit code.
    var result = operation.Value;
    Console.WriteLine($"Succeeded: {result.GetRawText()}");
    return 0;
}
catch (LonghaulOperationException ex)
{
    Console.Error.WriteLine($"Report {ex.Operation.Status.ToWire()}: {ex.ErrorCode} {ex.Error?.Message}");
    return 1;
}
catch (LonghaulApiException ex)
{
    Console.Error.WriteLine($"Refused: {ex.Message}");
    return 2;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"Cannot reach {arguments.Url}: {ex.Message}");
    return 3;
}
