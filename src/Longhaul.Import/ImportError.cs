namespace Longhaul.Import;

/// <summary>One bad row: its line, the column when one is to blame, and why.</summary>
internal sealed record ImportError(long Line, string? Column, string Reason);
