namespace Longhaul.Server;

/// <summary>Where <c>longhaul serve</c> listens and keeps its data.</summary>
public sealed record ServeSettings
{
    public const string DefaultUrls = "http://127.0.0.1:5080";
    public const string DefaultDataDir = "./longhaul-data";
    public const string DatabaseFileName = "longhaul.db";

    public string? Urls { get; init; }

    public string? DataDir { get; init; }
}
