using Longhaul.Kinds.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul;

/// <summary>
/// What <c>services.AddLonghaul(…)</c> returns: the one place an app composes Longhaul. Choose a store
/// (<c>UseSqlite</c>, <c>UsePostgres</c>: exactly one, checked at start-up), add kinds (<see cref="AddKind{THandler}"/>,
/// <see cref="AddHttpKind"/>) and, in a web app, the HTTP API (<c>AddApi</c>). Packages add their own methods as
/// extension methods on this type.
/// </summary>
public sealed class LonghaulBuilder
{
    internal LonghaulBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The service collection Longhaul registers into.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The configuration given to <c>AddLonghaul</c>, which the other parts bind from; null when none was given.</summary>
    public IConfiguration? Configuration { get; }

    /// <summary>The store chosen so far (<c>sqlite</c>, <c>postgres</c>, …); null until one is.</summary>
    public string? Store { get; private set; }

    /// <summary>
    /// For store packages: records <paramref name="name"/> as this app's store and runs <paramref name="register"/>.
    /// A second store is refused here, with both names in the message.
    /// </summary>
    /// <exception cref="InvalidOperationException">A store was already chosen.</exception>
    public LonghaulBuilder UseStore(string name, Action<IServiceCollection> register)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(register);
        if (Store is not null)
        {
            throw new InvalidOperationException($"Longhaul already uses the {Store} store; an app uses exactly one (remove Use{Capitalize(Store)} or Use{Capitalize(name)}).");
        }
        Store = name;
        register(Services);
        return this;
    }

    /// <summary>
    /// Adds a kind: an <see cref="OperationHandler{TInput, TResult}"/> (typed) or any <see cref="IOperationHandler"/>
    /// (untyped), a singleton. Its <see cref="IOperationHandler.Defaults"/> are read and validated at start-up.
    /// </summary>
    public LonghaulBuilder AddKind<THandler>()
        where THandler : class, IOperationHandler
    {
        Services.AddOperationHandler<THandler>();
        return this;
    }

    /// <summary>
    /// Sets a kind's settings in code. It runs after the <c>Longhaul:Kinds:{kind}</c> section is bound, so what it sets
    /// wins over configuration and over the handler's <see cref="IOperationHandler.Defaults"/>; validated at start-up
    /// like them (a kind that is not registered fails start-up).
    /// </summary>
    public LonghaulBuilder ConfigureKind(string kind, Action<OperationKindOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure<LonghaulEngineOptions>(o =>
        {
            if (!o.Kinds.TryGetValue(kind, out var settings) || settings is null) o.Kinds[kind] = settings = new OperationKindOptions();
            configure(settings);
        });
        return this;
    }

    /// <summary>Changes the engine's settings in code, after the <c>Longhaul</c> section is bound.</summary>
    public LonghaulBuilder ConfigureEngine(Action<LonghaulEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Adds the built-in kind <c>http</c> with the upstreams of <c>Longhaul:Upstreams</c> (from <see cref="Configuration"/>)
    /// and of <paramref name="configure"/>, validated at start-up.
    /// </summary>
    public LonghaulBuilder AddHttpKind(Action<HttpKindOptions>? configure = null)
    {
        Services.AddLonghaulHttpKind(Configuration, configure);
        return this;
    }

    private static string Capitalize(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
