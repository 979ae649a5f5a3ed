namespace Longhaul.Export;

/// <summary>
/// The clock of link expiry: the <see cref="TimeProvider"/> registered under the key <c>export</c> when there is one
/// (a test moves it past an expiry without moving the engine's timers), otherwise the app's.
/// </summary>
internal sealed record ExportClock(TimeProvider Time);
