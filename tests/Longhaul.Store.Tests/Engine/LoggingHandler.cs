using Microsoft.Extensions.Logging;

namespace Longhaul.Store.Tests.Engine;

/// <summary>Logs one entry through <see cref="OperationContext.Logger"/> and succeeds.</summary>
public sealed partial class LoggingHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_logging";

    public override string Kind => KindName;

    protected override Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
    {
        LogWorking(context.Logger, "download");
        return Task.FromResult<object?>(new { StopReason = context.StopReason.ToString() });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Working on {Step}")]
    private static partial void LogWorking(ILogger logger, string step);
}
