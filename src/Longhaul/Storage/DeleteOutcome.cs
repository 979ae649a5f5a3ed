using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>What a delete did.</summary>
public enum DeleteOutcome
{
    /// <summary>No operation with this id in the caller's tenant; nothing changed.</summary>
    NotFound,

    /// <summary>The operation, its events, idempotency keys and files are gone.</summary>
    Deleted,

    /// <summary>It has not finished; nothing changed.</summary>
    NotTerminal,
}
