namespace Longhaul.Client;

/// <summary>A chunk the handler streamed (for example LLM tokens), read as <typeparamref name="TOutput"/>.</summary>
/// <typeparam name="TOutput">The chunk's type (<see cref="System.Text.Json.JsonElement"/> to keep it as JSON).</typeparam>
/// <param name="Id">Its log position.</param>
/// <param name="Output">The chunk.</param>
public sealed record OperationOutputEvent<TOutput>(long Id, TOutput Output) : OperationEvent(Id);
