namespace Longhaul.Execution;

/// <summary>Why the engine cancelled a handler's token; decides what happens to the operation.</summary>
internal enum StopReason
{
    None = 0,
    UserCancel,
    Deadline,
    Shutdown,
    LeaseLost,
}
