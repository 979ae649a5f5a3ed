namespace Longhaul.Server;

/// <summary>Where <c>longhaul serve</c> listens, which store it uses and what it does; unset values come from configuration.</summary>
public sealed record ServeSettings
{
    /// <summary>Where <c>serve</c> listens without <c>--urls</c> or configuration: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";
    /// <summary>The SQLite store's directory without <c>--data-dir</c>.</summary>
    public const string DefaultDataDir = "./longhaul-data";
    /// <summary>The SQLite database's file name inside the data directory.</summary>
    public const string DatabaseFileName = "longhaul.db";

    /// <summary>The URLs to listen on (<c>--urls</c>); <see cref="DefaultUrls"/> when unset everywhere.</summary>
    public string? Urls { get; init; }

    /// <summary>The SQLite store's directory (<c>--data-dir</c>); <see cref="DefaultDataDir"/> when unset everywhere.</summary>
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
