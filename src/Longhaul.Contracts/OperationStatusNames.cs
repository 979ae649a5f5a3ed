namespace Longhaul.Contracts;

/// <summary>Wire names of <see cref="OperationStatus"/> and helpers around them.</summary>
public static class OperationStatusNames
{
    /// <summary>The lower-case wire name: <c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public static string ToWire(this OperationStatus status) => status switch
    {
        OperationStatus.Pending => "pending",
        OperationStatus.Running => "running",
        OperationStatus.Succeeded => "succeeded",
        OperationStatus.Failed => "failed",
        OperationStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses a wire name (exact, lower case); false for null or anything else.</summary>
    public static bool TryParse(string? value, out OperationStatus status)
    {
        switch (value)
        {
            case "pending": status = OperationStatus.Pending; return true;
            case "running": status = OperationStatus.Running; return true;
            case "succeeded": status = OperationStatus.Succeeded; return true;
            case "failed": status = OperationStatus.Failed; return true;
            case "cancelled": status = OperationStatus.Cancelled; return true;
            default: status = default; return false;
        }
    }

    /// <summary>True for the final states: succeeded, failed and cancelled.</summary>
    public static bool IsTerminal(this OperationStatus status) => status >= OperationStatus.Succeeded;
}
