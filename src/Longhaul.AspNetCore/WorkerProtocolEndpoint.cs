namespace Longhaul.AspNetCore;

/// <summary>
/// Endpoint metadata of the worker protocol's endpoints: only worker keys (or, without keys, anyone) may call them,
/// and worker keys may call nothing else.
/// </summary>
public sealed class WorkerProtocolEndpoint
{
    /// <summary>The one instance to attach with <c>WithMetadata</c>.</summary>
    public static WorkerProtocolEndpoint Instance { get; } = new();

    private WorkerProtocolEndpoint() { }
}
