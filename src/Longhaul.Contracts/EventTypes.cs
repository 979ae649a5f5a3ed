namespace Longhaul.Contracts;

/// <summary>The <c>event:</c> names of the operation event stream.</summary>
public static class EventTypes
{
    public const string Snapshot = "snapshot";
    public const string Status = "status";
    public const string Progress = "progress";
    public const string Output = "output";
    public const string Done = "done";
}
