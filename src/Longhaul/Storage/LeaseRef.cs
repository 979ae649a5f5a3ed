using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>An operation together with the lease epoch a worker holds it under.</summary>
public readonly record struct LeaseRef(string Id, long Epoch);
