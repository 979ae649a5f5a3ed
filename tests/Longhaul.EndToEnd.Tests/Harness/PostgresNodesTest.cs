namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// What every end-to-end test on PostgreSQL holds: the environment of its <c>longhaul</c> processes and its own schema
/// (created by <see cref="CreateSchema"/>: the test fails, or without <c>LONGHAUL_REQUIRE_POSTGRES</c> skips, when no
/// PostgreSQL is configured), and the fake upstreams its nodes call. All are disposed with the test: processes first, then
/// upstreams, then the schema.
/// </summary>
public abstract class PostgresNodesTest : IAsyncDisposable
{
    private PostgresTestSchema? _schema;
    private readonly List<LocalUpstream> _upstreams = [];

    private protected EndToEndEnvironment Env { get; } = new();

    private protected PostgresTestSchema Schema => _schema ?? throw new InvalidOperationException("CreateSchema() has not been called.");

    private protected PostgresTestSchema CreateSchema() => _schema = PostgresTestSchema.CreateOrSkip();

    /// <summary>A fake upstream for the test's nodes, stopped with the test (after its processes).</summary>
    private protected async Task<LocalUpstream> StartUpstreamAsync(Microsoft.AspNetCore.Http.RequestDelegate handler)
    {
        var upstream = await LocalUpstream.StartAsync(handler, EndToEndEnvironment.Ct);
        _upstreams.Add(upstream);
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await Env.DisposeAsync();
        foreach (var upstream in _upstreams) await upstream.DisposeAsync();
        if (_schema is not null) await _schema.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A positive integer from the environment variable <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    protected static int Setting(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
