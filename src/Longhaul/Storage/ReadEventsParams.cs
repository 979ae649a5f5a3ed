using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Storage;

/// <summary>Events with a sequence number above <see cref="AfterSeq"/>, oldest first.</summary>
public sealed record ReadEventsParams(string Id, long AfterSeq, int Limit);
