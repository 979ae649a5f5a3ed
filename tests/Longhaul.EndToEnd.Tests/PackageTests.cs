using System.Diagnostics;
using System.Text;

namespace Longhaul.EndToEnd.Tests;

/// <summary>
/// The packages as a user gets them: every library and the <c>longhaul</c> tool are packed into a local folder feed,
/// a fresh app outside the repository builds against the packages (not the project references) and runs an embedded
/// Longhaul on SQLite through <c>Longhaul.AspNetCore</c> and <c>Longhaul.Client</c>, and the tool installs from the
/// feed and answers <c>--help</c>.
/// </summary>
/// <remarks>
/// Everything happens in a temporary directory: the build output (<c>--artifacts-path</c>, so the repository's own
/// bin/obj are untouched while other tests run its binary), the feed, and the package folder (<c>NUGET_PACKAGES</c>),
/// so the Longhaul packages never reach the machine's global cache. That cache stays readable as a fallback folder,
/// which keeps third-party packages (Npgsql, SQLite, …) off the network.
/// </remarks>
[Collection(PackagingCollection.Name)]
public sealed class PackageTests : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] Libraries = ["Longhaul.Contracts", "Longhaul", "Longhaul.Sqlite", "Longhaul.Postgres", "Longhaul.AspNetCore", "Longhaul.Client", "Longhaul.Server"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "longhaul-pack", Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _log = new();

    [Fact(Timeout = 900_000)]
    public async Task Packed_libraries_build_a_fresh_app_and_the_tool_installs_from_the_feed()
    {
        var repo = RepositoryRoot();
        var feed = Path.Combine(_root, "feed");
        var packages = Path.Combine(_root, "packages");
        var artifacts = Path.Combine(_root, "build");
        Directory.CreateDirectory(feed);

        foreach (var project in Libraries)
        {
            await DotnetAsync(repo, packages, "pack", Path.Combine(repo, "src", project, project + ".csproj"), "-c", "Release", "-o", feed, "--artifacts-path", artifacts);
        }
        var tool = Directory.GetFiles(feed, "longhaul.*.nupkg").Single(f => !f.EndsWith(".symbols.nupkg", StringComparison.Ordinal));
        var version = Path.GetFileNameWithoutExtension(tool)["longhaul.".Length..];
        foreach (var id in new[] { "Longhaul.Contracts", "Longhaul.Core", "Longhaul.Sqlite", "Longhaul.Postgres", "Longhaul.AspNetCore", "Longhaul.Client" })
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.nupkg")), $"No {id} {version} in the feed: {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}\n{_log}");
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.snupkg")), $"No symbols for {id}.\n{_log}");
        }
        foreach (var package in Directory.GetFiles(feed, "*.nupkg").Where(f => !f.EndsWith(".symbols.nupkg", StringComparison.Ordinal)))
        {
            Assert.Contains("<license type=\"expression\">Apache-2.0</license>", NuspecOf(package), StringComparison.Ordinal);
        }

        // A fresh app, outside the repository (no Directory.Build.props, no central package versions).
        var app = Path.Combine(_root, "consumer");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), NuGetConfig(feed), Ct);
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), ConsumerProject(version), Ct);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ConsumerProgram, Ct);
        await DotnetAsync(app, packages, "build", "-c", "Release");
        Assert.True(Directory.Exists(Path.Combine(packages, "longhaul.client", version)), $"Longhaul.Client {version} was not restored from the feed into the test's package folder.\n{_log}");

        var run = await DotnetAsync(app, packages, "run", "-c", "Release", "--no-build");
        Assert.Contains("consumer: sleep succeeded", run, StringComparison.Ordinal);

        // The tool, as `dotnet tool install` gives it.
        var tools = Path.Combine(_root, "tools");
        await DotnetAsync(_root, packages, "tool", "install", "--tool-path", tools, "longhaul", "--add-source", feed, "--version", version);
        var longhaul = Path.Combine(tools, OperatingSystem.IsWindows() ? "longhaul.exe" : "longhaul");
        var help = await RunAsync(longhaul, _root, packages, "--help");
        Assert.Contains("serve", help, StringComparison.Ordinal);
        var keysHelp = await RunAsync(longhaul, _root, packages, "keys", "--help");
        Assert.Contains("keys", keysHelp, StringComparison.Ordinal);
    }

    /// <summary>The package's manifest (<c>*.nuspec</c> inside the zip).</summary>
    private static string NuspecOf(string package)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort; it is under the temp directory.
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="longhaul-local" value="{feed}" />
          </packageSources>
          <fallbackPackageFolders>
            <add key="global" value="{GlobalPackages()}" />
          </fallbackPackageFolders>
        </configuration>
        """;

    private static string ConsumerProject(string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk.Web">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <OutputType>Exe</OutputType>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Longhaul.AspNetCore" Version="{version}" />
            <PackageReference Include="Longhaul.Sqlite" Version="{version}" />
            <PackageReference Include="Longhaul.Client" Version="{version}" />
          </ItemGroup>
        </Project>
        """;

    private const string ConsumerProgram = """
        using System.Text.Json;
        using Longhaul;
        using Longhaul.AspNetCore;
        using Longhaul.Client;
        using Longhaul.Contracts;
        using Longhaul.Sqlite;

        var dataDir = Path.Combine(AppContext.BaseDirectory, "data");
        Directory.CreateDirectory(dataDir);
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddLonghaul(builder.Configuration)
            .UseSqlite(Path.Combine(dataDir, "longhaul.db"))
            .AddApi();
        var app = builder.Build();
        app.UseLonghaul();
        app.MapLonghaulHealth();
        app.MapLonghaul("/v1");
        await app.StartAsync();

        var address = app.Urls.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var client = new LonghaulClient(http);
        var input = JsonSerializer.SerializeToElement(new { seconds = 0, steps = 1 });
        var started = await client.StartAsync(new StartOperationRequest { Kind = "sleep", Input = input });
        var op = await client.WaitUntilDoneAsync(started.Id);
        Console.WriteLine($"consumer: {op.Kind} {op.Status.ToString().ToLowerInvariant()}");
        await app.StopAsync();
        return op.Status == OperationStatus.Succeeded ? 0 : 1;
        """;

    private Task<string> DotnetAsync(string workingDirectory, string packages, params string[] args)
        => RunAsync("dotnet", workingDirectory, packages, args);

    /// <summary>Runs a command to its end (bounded); fails with everything logged so far unless it exits 0.</summary>
    private async Task<string> RunAsync(string fileName, string workingDirectory, string packages, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // The test runs under `dotnet test`: its MSBuild variables must not steer the child builds.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Longhaul", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["NUGET_PACKAGES"] = packages;
        info.Environment["NUGET_CERT_REVOCATION_MODE"] = "offline";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // no build servers left behind by the test
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(Ct).WaitAsync(StepTimeout, Ct);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {StepTimeout.TotalMinutes} min.\n{_log}\n{output}");
        }
        process.WaitForExit(); // the last output lines
        string text;
        lock (output) text = output.ToString();
        _log.AppendLine($"$ {fileName} {string.Join(' ', args)}  ({clock.Elapsed.TotalSeconds:F1} s, exit {process.ExitCode})");
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', args)} exited with {process.ExitCode}.\n{_log}\n{text}");
        return text;
    }

    private static string GlobalPackages()
        => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Longhaul.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException($"No Longhaul.sln above '{AppContext.BaseDirectory}'.");
    }
}

/// <summary>Packing builds the whole solution again: run it alone, not beside the timing-sensitive process tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection
{
    public const string Name = "Packaging (runs alone)";
}
