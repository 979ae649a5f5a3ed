using System.Text;
using System.Text.Json.Nodes;
using Longhaul.Kinds.Http;

namespace Longhaul.Tests.Proxy;

/// <summary>The byte, text, JSON and streaming forms of secret redaction.</summary>
public sealed class SecretRedactorTests
{
    private const string Secret = "sk-live-0123456789abcdef";

    private static readonly SecretRedactor Redactor = new(["sk-live-0123456789abcdef", "other-secret-value", "abc"]);

    [Fact]
    public void Redact_Text_ReplacesEveryOccurrence_AndIgnoresValuesTooShortToBeSecrets()
    {
        Assert.Equal("Bearer [REDACTED], again [REDACTED]; [REDACTED]; abc",
            Redactor.Redact($"Bearer {Secret}, again {Secret}; other-secret-value; abc"));
    }

    [Fact]
    public void Redact_Bytes_ReplacesSecrets_AndKeepsTheRest()
    {
        var input = Encoding.UTF8.GetBytes($"\u00e9{Secret}\u00e9other-secret-value");

        Assert.Equal("\u00e9[REDACTED]\u00e9[REDACTED]", Encoding.UTF8.GetString(Redactor.Redact(input)));
    }

    [Fact]
    public void Redact_Json_CatchesEscapedForms_InNestedStrings()
    {
        var node = JsonNode.Parse("""{"a":["x \u0073k-live-0123456789abcdef y"],"b":{"c":"other-secret-value"},"n":1}""");

        Assert.Equal("""{"a":["x [REDACTED] y"],"b":{"c":"[REDACTED]"},"n":1}""", Redactor.Redact(node)!.ToJsonString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public void Stream_SecretSplitAcrossPieces_IsStillRedacted(int pieceSize)
    {
        var text = $"start {Secret}{Secret} middle other-secret-value end {Secret[..10]}";
        var input = Encoding.UTF8.GetBytes(text);
        var redaction = Redactor.Stream();
        var output = new List<byte>();

        for (var i = 0; i < input.Length; i += pieceSize)
            output.AddRange(redaction.Push(input.AsSpan(i, Math.Min(pieceSize, input.Length - i))).ToArray());
        output.AddRange(redaction.Flush().ToArray());

        Assert.Equal($"start [REDACTED][REDACTED] middle [REDACTED] end {Secret[..10]}", Encoding.UTF8.GetString([.. output]));
    }

    [Fact]
    public void NoSecrets_LeavesEverythingAlone()
    {
        var none = new SecretRedactor([]);
        var stream = none.Stream();

        Assert.True(none.IsEmpty);
        Assert.Equal("x", none.Redact("x"));
        Assert.Equal("abc"u8.ToArray(), stream.Push("abc"u8).ToArray());
        Assert.True(stream.Flush().IsEmpty);
    }
}
