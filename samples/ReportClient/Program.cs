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
    var input = JsonSerializer.SerializeToElement(new { title = arguments.Title, pages = arguments.Pages, page_milliseconds = arguments.PageMilliseconds });
    var request = new StartOperationRequest { Kind = "report", Input = input, Options = new OperationOptions { TimeoutSeconds = arguments.TimeoutSeconds } };
    var operation = await client.StartAsync(request, arguments.IdempotencyKey);
    Console.WriteLine($"Started {operation.Id} ({operation.Status.ToWire()})");

    // The operation's events from its first (after event 0, so none is missed however fast it runs) until it is done:
    // one progress event per page saved.
    await foreach (var e in client.StreamEventsAsync(operation.Id, afterEventId: 0))
    {
        if (e.Type != EventTypes.Progress) continue;
        var progress = JsonDocument.Parse(e.Data).RootElement.GetProperty("progress");
        Console.WriteLine($"Page {progress.GetProperty("current")} of {progress.GetProperty("total")}");
    }

    // Done: the result, or the error and a non-zero exit code.
    var done = await client.WaitUntilDoneAsync(operation.Id);
    if (done.Status == OperationStatus.Succeeded)
    {
        Console.WriteLine($"Succeeded: {done.Result?.GetRawText()}");
        return 0;
    }
    Console.Error.WriteLine($"Report {done.Status.ToWire()}: {done.Error?.Code} {done.Error?.Message}");
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
