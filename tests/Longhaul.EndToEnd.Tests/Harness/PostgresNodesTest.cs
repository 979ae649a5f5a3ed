namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// What every end-to-end test on PostgreSQL holds: the environment of its <c>longhaul</c> processes and its own schema
/// (created by <see cref="CreateSchema"/>: the test fails, or without <c>LONGHAUL_REQUIRE_POSTGRES</c> skips, when no
/// PostgreSQL is configured). Both are disposed with the test, processes first.
/// </summary>
public abstract class PostgresNodesTest : IAsyncDisposable
{
    private PostgresTestSchema? _schema;

    private protected EndToEndEnvironment Env { get; } = new();

    private protected PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException("CreateSchema() has not been called.");

    private protected PostgresTestSchema CreateSchema() => _schema = PostgresTestSchema.CreateOrSkip();

    public async ValueTask DisposeAsync()
    {
        await Env.DisposeAsync();
        await DisposeOwnAsync();
        if (_schema is not null) await _schema.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Whatever else a test started (after its processes stopped, before its schema is dropped).</summary>
    protected virtual ValueTask DisposeOwnAsync() => ValueTask.CompletedTask;

    /// <summary>A positive integer from the environment variable <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    protected static int Setting(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
