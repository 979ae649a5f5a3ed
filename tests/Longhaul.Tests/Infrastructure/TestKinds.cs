using System.Collections.Concurrent;
using System.Text.Json;
using Longhaul.Contracts;

namespace Longhaul.Tests.Infrastructure;

/// <summary>
/// A test-controlled switch for one operation, found by the <c>token</c> in the operation's input. The handler
/// signals <see cref="Started"/>, waits for <see cref="Release"/>, and signals <see cref="TokenFired"/> when its
/// cancellation token fires.
/// </summary>
public sealed class Gate
{
    private int _runs;

    public string Token { get; } = "t" + Guid.NewGuid().ToString("N");

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource TokenFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many attempts the handler started.</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>The input for an operation controlled by this gate.</summary>
    public object Input => new { token = Token };

    public void Open() => Release.TrySetResult();

    internal void MarkStarted(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        cancellationToken.Register(() => TokenFired.TrySetResult());
        Started.TrySetResult();
    }
}

/// <summary>The registry handlers use to find their gate.</summary>
public static class Gates
{
    private static readonly ConcurrentDictionary<string, Gate> All = new(StringComparer.Ordinal);

    public static Gate New()
    {
        var gate = new Gate();
        All[gate.Token] = gate;
        return gate;
    }

    public static Gate Find(JsonElement input)
        => input.TryGetProperty("token", out var t) && t.GetString() is { } token && All.TryGetValue(token, out var gate)
            ? gate
            : throw new InvalidOperationException("No gate for this operation's token.");

    public static void Forget(Gate gate) => All.TryRemove(gate.Token, out _);
}

/// <summary>Shared validation: the input is an object whose optional <c>token</c> is a string.</summary>
public abstract class TestHandler : IOperationHandler
{
    public abstract string Kind { get; }

    public string? Description => "Test kind " + Kind;

    public JsonElement? InputSchema => null;

    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.Object) return new Dictionary<string, string[]> { ["input"] = ["must be an object"] };
        if (input.TryGetProperty("token", out var token) && token.ValueKind != JsonValueKind.String)
            return new Dictionary<string, string[]> { ["input.token"] = ["must be a string"] };
        return null;
    }

    public abstract Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken);
}

/// <summary><c>gate</c>: waits for its gate, honouring cancellation, then succeeds.</summary>
public sealed class GateHandler : TestHandler
{
    public const string Name = "gate";

    public override string Kind => Name;

    public override async Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        var gate = Gates.Find(context.Input);
        gate.MarkStarted(cancellationToken);
        await gate.Release.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new { token = gate.Token, attempt = context.Attempt };
    }
}

/// <summary><c>stubborn</c>: ignores its cancellation token until released, then gives in to it.</summary>
public sealed class StubbornHandler : TestHandler
{
    public const string Name = "stubborn";

    public override string Kind => Name;

    public override async Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        var gate = Gates.Find(context.Input);
        gate.MarkStarted(cancellationToken);
        await gate.Release.Task.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new { token = gate.Token };
    }
}

/// <summary><c>fail</c>: fails permanently at once.</summary>
public sealed class FailHandler : TestHandler
{
    public const string Name = "fail";
    public const string ErrorCode = "test_refused";

    public override string Kind => Name;

    public override Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
        => throw new PermanentFailureException(ErrorCode, "Refused on purpose.", JsonSerializer.SerializeToElement(new { attempt = context.Attempt }));
}

/// <summary><c>stream</c>: waits for its gate, then streams three output chunks with progress, then succeeds.</summary>
public sealed class StreamHandler : TestHandler
{
    public const string Name = "stream";
    public const int Chunks = 3;

    public override string Kind => Name;

    public override async Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        var gate = Gates.Find(context.Input);
        gate.MarkStarted(cancellationToken);
        await gate.Release.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        for (var i = 1; i <= Chunks; i++)
        {
            await context.WriteOutputAsync(new { text = $"chunk-{i}" }, cancellationToken).ConfigureAwait(false);
            await context.ReportProgressAsync(new ProgressInfo { Current = i, Total = Chunks, Unit = "chunks" }, cancellationToken).ConfigureAwait(false);
        }
        return new { chunks = Chunks };
    }
}
