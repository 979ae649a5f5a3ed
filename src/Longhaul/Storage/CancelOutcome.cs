using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What a cancel did.</summary>
public enum CancelOutcome
{
    /// <summary>No operation with this id in the caller's tenant; nothing changed.</summary>
    NotFound,

    /// <summary>It was pending and is now cancelled.</summary>
    Cancelled,

    /// <summary>It is running and its worker is asked to stop (also when that was asked before).</summary>
    Requested,

    /// <summary>It had already finished; nothing changed.</summary>
    AlreadyTerminal,
}
