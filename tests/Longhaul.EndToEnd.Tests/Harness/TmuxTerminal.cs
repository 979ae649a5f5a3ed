using System.Diagnostics;

namespace Longhaul.EndToEnd.Tests.Harness;

/// <summary>
/// A real terminal: a tmux server of this test's own (its own socket), one 200×50 pane running bash. Tests type with
/// <see cref="SendLineAsync"/> and read the screen with <see cref="CaptureAsync"/>; <see cref="WaitForScreenAsync"/>
/// polls the screen until a condition holds or a deadline passes. Disposing it ends that tmux server only.
/// </summary>
internal sealed class TmuxTerminal : IAsyncDisposable
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);
    private readonly string _socket = "longhaul-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<string> _screens = [];

    private TmuxTerminal()
    {
    }

    /// <summary>Every screen captured so far, for assertion messages.</summary>
    public string History => string.Join("\n----- screen -----\n", _screens.TakeLast(5));

    public static async Task<TmuxTerminal> StartAsync(string workingDirectory, CancellationToken cancellationToken)
    {
        var terminal = new TmuxTerminal();
        await terminal.TmuxAsync(cancellationToken, "new-session", "-d", "-s", "main", "-x", "200", "-y", "50", "-c", workingDirectory, "bash --norc --noprofile");
        return terminal;
    }

    /// <summary>Types <paramref name="line"/> (literally) and Enter.</summary>
    public async Task SendLineAsync(string line, CancellationToken cancellationToken)
    {
        await TmuxAsync(cancellationToken, "send-keys", "-t", "main", "-l", line);
        await TmuxAsync(cancellationToken, "send-keys", "-t", "main", "Enter");
    }

    /// <summary>The visible screen, as text.</summary>
    public async Task<string> CaptureAsync(CancellationToken cancellationToken)
    {
        var screen = await TmuxAsync(cancellationToken, "capture-pane", "-p", "-t", "main");
        lock (_screens) _screens.Add(screen);
        return screen;
    }

    /// <summary>Captures the screen until <paramref name="done"/> holds for it; fails with the last screens after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForScreenAsync(Func<string, bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var screen = await CaptureAsync(cancellationToken);
            if (done(screen)) return screen;
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"The terminal did not show {what} within {timeout.TotalSeconds} s.\n{History}");
            await Task.Delay(Pace, cancellationToken); // pacing between captures, not a wait for state
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync(CancellationToken.None, "kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task<string> TmuxAsync(CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("TMUX");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
