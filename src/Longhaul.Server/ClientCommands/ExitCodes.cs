namespace Longhaul.Server.ClientCommands;

/// <summary>The exit codes of the client commands (docs/cli.md lists them).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked; an operation it waited for or read succeeded (or is still running).</summary>
    public const int Success = 0;
    /// <summary>The operation failed.</summary>
    public const int Failed = 1;
    /// <summary>Bad arguments, or input the server refused (400, 413, 415, 422).</summary>
    public const int Usage = 2;
    /// <summary>The operation was cancelled.</summary>
    public const int Cancelled = 3;
    /// <summary>No such operation for this API key (404).</summary>
    public const int NotFound = 4;
    /// <summary>No valid API key (401) or not allowed (403).</summary>
    public const int Auth = 5;
    /// <summary>The operation is not in a state for this (409): cancel of a finished one, delete of an unfinished one, an idempotency key in use.</summary>
    public const int Conflict = 6;
    /// <summary>The server could not be reached, or answered an error not listed above.</summary>
    public const int Unavailable = 7;
}
