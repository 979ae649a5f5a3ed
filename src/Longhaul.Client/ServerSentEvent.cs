namespace Longhaul.Client;

/// <summary>One event of an operation's stream: <c>id</c>, <c>event</c> type and raw JSON <c>data</c>.</summary>
public sealed record ServerSentEvent(long? Id, string Type, string Data);
