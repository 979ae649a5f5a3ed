using Longhaul.Bench;

// Longhaul benchmark tooling. Plain argument parsing on purpose (no packages).
// Every load-generating command speaks HTTP only; nothing here references the server's code.

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage.Text);
    return args.Length == 0 ? 2 : 0;
}

var command = args[0];
var rest = args[1..];
try
{
    return command switch
    {
        "baseline" => await BaselineCommand.RunAsync(rest),
        "drain" => await DrainCommand.RunAsync(BenchArgs.Parse(rest)),
        "dispatch" => await DispatchCommand.RunAsync(BenchArgs.Parse(rest)),
        "create" => await CreateCommand.RunAsync(BenchArgs.Parse(rest)),
        "webhooks" => await WebhooksCommand.RunAsync(BenchArgs.Parse(rest)),
        _ => Fail($"unknown command '{command}'"),
    };
}
catch (ArgumentException ex)
{
    return Fail(ex.Message);
}

static int Fail(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(Usage.Text);
    return 2;
}

namespace Longhaul.Bench
{
    internal static class Usage
    {
        public const string Text = """
            usage: Longhaul.Bench <command> [options]

              baseline --urls http://127.0.0.1:PORT
                  Bare ASP.NET Core endpoint: POST /v1/operations reads the body and answers 202 with a
                  static pending operation resource (nothing stored). Also GET /healthz. Log level Warning.

              drain --url http://127.0.0.1:PORT [--count 20000] [--concurrency 64] [--api-key K]
                    [--verify 500] [--timeout 300] [--poll-ms 20] [--resume-path /some/admin/path]
                  Creates COUNT sleep(0) operations, then polls the pending/running lists every 20 ms
                  until both are empty, then checks a sample is `succeeded`. With --resume-path, POSTs
                  there after the create phase (for a server started with its workers paused) and
                  times the drain from that moment.

              dispatch --url http://127.0.0.1:PORT [--rate 100] [--seconds 20] [--warmup 2] [--wait-timeout 10]
                       [--api-key K]
                  Open-loop creation of sleep(0) operations at a fixed rate; afterwards reads each one via
                  /wait and reports started_at - created_at (p50/p90/p99/max) and create latency.

              create --url http://127.0.0.1:PORT [--connections 64] [--seconds 15] [--warmup 1]
                     [--body '{"kind":"sleep","input":{"seconds":0}}'] [--path /v1/operations] [--api-key K]
                  Closed-loop POST load generator (fallback for wrk): requests/s and p50/p99 latency.

              webhooks --url http://127.0.0.1:PORT [--rate 500] [--seconds 20] [--timeout 120] [--api-key K]
                  Hosts a fast webhook receiver, creates sleep(0) operations with it as callback_url open-loop at
                  RATE, and reports completions/s (finished_at) against deliveries/s (arrivals) and their ratio,
                  with the delivery lag. The server must allow-list 127.0.0.0/8 (Longhaul:Egress).

            Every command prints a final one-line `name: key=value ...` summary on stdout.
            """;
    }
}
