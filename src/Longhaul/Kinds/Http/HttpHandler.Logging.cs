using Microsoft.Extensions.Logging;

namespace Longhaul.Kinds.Http;

internal sealed partial class HttpHandler
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream {Upstream}: retry {Retry} after {Reason}, waiting {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string upstream, int retry, string reason, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream}: no answer within {Seconds} s")]
    private static partial void LogTimeout(ILogger logger, string upstream, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Upstream}: the operation's timeout of {TimeoutSeconds} s ran out before the upstream's request timeout of {UpstreamSeconds} s")]
    private static partial void LogDeadline(ILogger logger, string upstream, double timeoutSeconds, double upstreamSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Upstream {Upstream}: stream ended after {Events} events")]
    private static partial void LogStreamed(ILogger logger, string upstream, int events);

    [LoggerMessage(Level = LogLevel.Error, Message = "Upstream {Upstream}: the {Method} call of operation {OperationId} failed unexpectedly (request sent: {Sent})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string upstream, string method, string operationId, bool sent);
}
