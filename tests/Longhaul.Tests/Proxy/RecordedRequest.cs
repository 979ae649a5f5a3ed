namespace Longhaul.Tests.Proxy;

/// <summary>A request a <see cref="FakeUpstream"/> received; <see cref="At"/> is a <c>Stopwatch</c> timestamp.</summary>
public sealed record RecordedRequest(int Number, string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, long At);
