using System.Text.Json;

namespace Longhaul.Tests.Infrastructure;

/// <summary><c>echo</c>: accepts any input and succeeds with it as its result, so that what a client sent flows through the worker, the result and every read.</summary>
public sealed class EchoHandler : IOperationHandler
{
    public const string Name = "echo";

    public string Kind => Name;

    public string? Description => "Test kind echo: the result is the input.";

    public JsonElement? InputSchema => null;

    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input) => null;

    public Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
        => Task.FromResult<object?>(context.Input);
}
