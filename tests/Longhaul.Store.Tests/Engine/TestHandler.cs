using System.Text.Json;

namespace Longhaul.Store.Tests.Engine;

/// <summary>A test kind: accepts any input and reports to the <see cref="HandlerProbe"/>.</summary>
public abstract class TestHandler(HandlerProbe probe) : IOperationHandler
{
    public abstract string Kind { get; }

    public string? Description => null;

    public JsonElement? InputSchema => null;

    protected HandlerProbe Probe => probe;

    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input) => null;

    public async Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => probe.TokenFired(context.OperationId));
        probe.Started(context);
        return await RunAsync(context, cancellationToken);
    }

    protected abstract Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken);
}
