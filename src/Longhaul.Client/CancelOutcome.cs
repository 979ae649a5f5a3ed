namespace Longhaul.Client;

/// <summary>What a cancel request achieved.</summary>
public enum CancelOutcome
{
    /// <summary>The operation is now <c>cancelled</c> (it had not started, or its handler already stopped).</summary>
    Cancelled,

    /// <summary>Its handler is running and was told to stop; the operation becomes <c>cancelled</c> when it has (or finishes otherwise).</summary>
    Stopping,

    /// <summary>It had already finished (409 <c>operation_terminal</c>); nothing changed.</summary>
    AlreadyFinished,
}
