using System.Text;
using System.Text.Json;

namespace Longhaul.Tests.Embedding;

/// <summary><c>file-link</c>: writes the file <c>report.txt</c> and succeeds with <c>{"url": …}</c>, the link the engine made for it.</summary>
public sealed class FileLinkHandler : IOperationHandler
{
    public const string Name = "file-link";
    public const string Content = "hello from a file";

    public string Kind => Name;

    public string? Description => "Test kind file-link: the result links to a file it wrote.";

    public JsonElement? InputSchema => null;

    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input) => null;

    public async Task<object?> ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        var file = context.CreateFile("report.txt", "text/plain");
        await file.WriteAsync(Encoding.UTF8.GetBytes(Content), cancellationToken);
        await file.FinishAsync(cancellationToken);
        return new { url = file.Url };
    }
}
