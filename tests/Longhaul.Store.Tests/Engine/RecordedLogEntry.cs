using Microsoft.Extensions.Logging;

namespace Longhaul.Store.Tests.Engine;

/// <summary>One entry a <see cref="RecordingLoggerProvider"/> saw, with the values of the scopes it was logged in.</summary>
public sealed record RecordedLogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);
