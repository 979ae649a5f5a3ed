using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Claims up to <see cref="Max"/> ready operations of the given kinds for <see cref="Owner"/>.</summary>
public sealed record ClaimParams(string Owner, IReadOnlyList<string> Kinds, int Max, TimeSpan LeaseDuration);
