namespace Longhaul.Kinds.Http;

/// <summary>One event read from an upstream's <c>text/event-stream</c>.</summary>
internal sealed record SseMessage(string? Event, string Data, string? Id);
