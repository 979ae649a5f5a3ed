namespace Longhaul.Contracts;

/// <summary>The <c>event:</c> names of the operation event stream.</summary>
public static class EventTypes
{
    /// <summary>The whole resource; the first event of a stream opened without a position.</summary>
    public const string Snapshot = "snapshot";
    /// <summary>The status changed (<c>data.status</c>).</summary>
    public const string Status = "status";
    /// <summary>The handler reported progress.</summary>
    public const string Progress = "progress";
    /// <summary>A chunk the handler streamed (for example LLM tokens).</summary>
    public const string Output = "output";
    /// <summary>Something watchers should know while the operation runs (<c>data.code</c>: <c>deadline_approaching</c>); the operation goes on.</summary>
    public const string Warning = "warning";
    /// <summary>The final resource; the server ends the stream after it.</summary>
    public const string Done = "done";
}
