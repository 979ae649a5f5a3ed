namespace Longhaul.Client;

/// <summary>One event of an operation, as <see cref="LonghaulOperation{TResult}.WatchAsync{TOutput}"/> yields it: match on the derived types.</summary>
/// <param name="Id">Its position in the operation's event log (increasing, gap-free; the <c>Last-Event-ID</c> to resume after it).</param>
public abstract record OperationEvent(long Id);
