using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>An operation together with the lease epoch a worker holds it under.</summary>
/// <param name="Id">The operation's id.</param>
/// <param name="Epoch">The lease epoch the worker's claim got; a later claim makes it stale.</param>
public readonly record struct LeaseRef(string Id, long Epoch);
