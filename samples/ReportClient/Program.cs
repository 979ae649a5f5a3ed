using System.Text.Json;
using Longhaul.Client;
using Longhaul.Contracts;
using Microsoft.Extensions.DependencyInjection;
using ReportClient;

if (ReportArguments.Parse(args) is not { } arguments)
{
    Console.Error.WriteLine(ReportArguments.Usage);
    return 64;
}

// The client from dependency injection: its HttpClient comes from IHttpClientFactory.
var services = new ServiceCollection();
services.AddLonghaulClient(options =>
{
    options.BaseAddress = arguments.Url;
    options.ApiKey = arguments.Token;   // sent as Authorization: Bearer, which ReportApp's sign-in reads
});
await using var provider = services.BuildServiceProvider();
var client = provider.GetRequiredService<LonghaulClient>();

try
{
    // An Idempotency-Key makes a retry of this command (after a timeout, a crash) return the same report, not a second one.
    var input = new ReportRequest(arguments.Title, arguments.Pages, arguments.PageMilliseconds);
    var start = new StartOperationOptions { IdempotencyKey = arguments.IdempotencyKey, TimeoutSeconds = arguments.TimeoutSeconds };
    var operation = arguments.OperationId is { } id
        ? await client.GetOperationAsync(id)   // a handle rehydrated from the id of a report started earlier
        : await client.StartAsync<ReportRequest, JsonElement>("report", input, start);
    Console.WriteLine($"Started {operation.Id} ({operation.Status.ToWire()})");

    if (arguments.Wait)
    {
        // Waits (following the events, since it reports progress) and returns the result, or throws when there is none.
        var report = await operation.WaitForCompletionAsync(new Progress<ProgressInfo>(p => Console.WriteLine($"{p.Percent:0}% done")));
        Console.WriteLine($"Succeeded: {report.GetRawText()}");
        return 0;
    }

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
