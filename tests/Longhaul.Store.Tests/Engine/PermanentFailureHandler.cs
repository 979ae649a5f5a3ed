namespace Longhaul.Store.Tests.Engine;

/// <summary>Fails for good with code <c>bad_input</c>.</summary>
public sealed class PermanentFailureHandler(HandlerProbe probe) : TestHandler(probe)
{
    public const string KindName = "test_permanent";

    public override string Kind => KindName;

    protected override Task<object?> RunAsync(OperationContext context, CancellationToken cancellationToken)
        => throw new PermanentFailureException("bad_input", "The input cannot be processed.");
}
