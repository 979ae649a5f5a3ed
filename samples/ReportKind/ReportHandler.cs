using System.ComponentModel;
using Longhaul;
using Longhaul.Contracts;
using Microsoft.Extensions.Logging;

namespace ReportKind;

/// <summary>
/// The <c>report</c> kind: "renders" one page per step, saves a checkpoint after each page and resumes from the last
/// one, so an attempt after a crash or a hand-back does only the pages left.
/// </summary>
[Description("Renders a report page by page, resuming from the last page saved.")]
public sealed partial class ReportHandler(TimeProvider time) : OperationHandler<ReportInput, ReportResult>
{
    public const string KindName = "report";

    public override string Kind => KindName;

    // Per-kind settings in code; Longhaul:Kinds:report in configuration overrides each one (see appsettings.json).
    public override OperationKindOptions? Defaults { get; } = new()
    {
        MaxAttempts = 5,
        TimeoutSeconds = 3600,
        RetryBaseDelay = TimeSpan.FromSeconds(2),
        Slots = 4,
    };

    protected override async Task<ReportResult> ExecuteAsync(ReportInput input, OperationContext context, CancellationToken cancellationToken)
    {
        var resumedFrom = context.GetCheckpoint<ReportCheckpoint>()?.PagesDone ?? 0;
        if (resumedFrom > 0) LogResuming(context.Logger, resumedFrom, input.Pages);
        var perPage = TimeSpan.FromMilliseconds(input.PageMilliseconds);
        var page = resumedFrom;
        try
        {
            while (page < input.Pages)
            {
                await Task.Delay(perPage, time, cancellationToken);   // rendering one page
                page++;
                await context.SaveCheckpointAsync(
                    new ReportCheckpoint(page),
                    new ProgressInfo { Current = page, Total = input.Pages, Unit = "pages" },
                    cancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.StopReason == OperationStopReason.DeadlineExceeded)
        {
            LogCutShort(context.Logger, page, input.Pages);
            throw new PermanentFailureException("deadline_exceeded", $"The report reached page {page} of {input.Pages} before its deadline.");
        }
        catch (OperationCanceledException) when (context.StopReason == OperationStopReason.ShuttingDown)
        {
            // Handed back to pending without counting the attempt; the next one resumes from the checkpoint.
            LogHandedBack(context.Logger, page);
            throw;
        }
        LogRendered(context.Logger, input.Pages, resumedFrom);
        return new ReportResult(input.Title, input.Pages, resumedFrom, context.Attempt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the report after page {Page} of {Pages}")]
    private static partial void LogResuming(ILogger logger, int page, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The deadline stopped the report at page {Page} of {Pages}")]
    private static partial void LogCutShort(ILogger logger, int page, int pages);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down at page {Page}; another attempt resumes from the checkpoint")]
    private static partial void LogHandedBack(ILogger logger, int page);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rendered {Pages} pages (resumed after page {ResumedFrom})")]
    private static partial void LogRendered(ILogger logger, int pages, int resumedFrom);
}
