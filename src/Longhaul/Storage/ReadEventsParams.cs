using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Events with a sequence number above <see cref="AfterSeq"/>, oldest first.</summary>
/// <param name="Id">The operation's id (not scoped by tenant).</param>
/// <param name="AfterSeq">Only events after this sequence number; 0 for all.</param>
/// <param name="Limit">At most this many events.</param>
public sealed record ReadEventsParams(string Id, long AfterSeq, int Limit);
