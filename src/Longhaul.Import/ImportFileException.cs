namespace Longhaul.Import;

/// <summary>A file the import cannot read on (an unbalanced quote, an over-long record, …): fails the import with its line.</summary>
internal sealed class ImportFileException(string code, long line, string message) : Exception($"Line {line}: {message}")
{
    public string Code { get; } = code;
    public long Line { get; } = line;
}
