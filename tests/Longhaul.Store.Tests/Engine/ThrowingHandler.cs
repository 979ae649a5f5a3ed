namespace Longhaul.Store.Tests.Engine;

/// <summary>Every attempt throws a transient error.</summary>
public sealed class ThrowingHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_throw";

    public override string Kind => KindName;

    protected override Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
        => throw new InvalidOperationException($"attempt {context.Attempt} broke");
}
