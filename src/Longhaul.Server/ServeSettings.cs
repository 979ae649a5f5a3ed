namespace Longhaul.Server;

/// <summary>Where <c>longhaul serve</c> listens, which store it uses and what it does; unset values come from configuration.</summary>
public sealed record ServeSettings
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string DefaultDataDir = "./longhaul-data";
    public const string DatabaseFileName = "longhaul.db";

    public string? Urls { get; init; }

    public string? DataDir { get; init; }

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    public string? Store { get; init; }

    /// <summary>The PostgreSQL connection string.</summary>
    public string? Connection { get; init; }

    /// <summary><c>all</c>, <c>api</c> or <c>worker</c>.</summary>
    public string? Role { get; init; }

    /// <summary>Skip the start-up migration (PostgreSQL).</summary>
    public bool NoMigrate { get; init; }
}
