using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Longhaul.AspNetCore;

/// <summary>
/// Follows Kestrel's <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> diagnostic event, which Kestrel raises
/// (with the request's features) when it rejects a request itself: a bad request line, headers too large, a malformed
/// header, bad body framing. Kestrel then writes a canned answer with an empty body and closes the connection without
/// running the app; the connection's <see cref="RejectionPipeWriter"/> turns that answer into a problem document
/// (ADR 11). Connections are registered by <see cref="LonghaulListenOptionsExtensions.UseLonghaulRejectionProblems"/>.
/// </summary>
public sealed class KestrelRejectionProblems : IObserver<KeyValuePair<string, object?>>, IDisposable
{
    /// <summary>The diagnostic event Kestrel raises when it rejects a request itself.</summary>
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly ConcurrentDictionary<string, RejectionWatch> _connections = new(StringComparer.Ordinal);
    private readonly IDisposable _subscription;

    /// <summary>Subscribes to the host's listener, the one Kestrel writes its events to.</summary>
    public KestrelRejectionProblems(DiagnosticListener listener)
    {
        _subscription = listener.Subscribe(this, name => name == BadRequestEvent);
    }

    internal RejectionWatch Watch(string connectionId) => _connections.GetOrAdd(connectionId, _ => new RejectionWatch());

    internal void Forget(string connectionId) => _connections.TryRemove(connectionId, out _);

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features) return;
        if (features.Get<IHttpConnectionFeature>()?.ConnectionId is not { } id || !_connections.TryGetValue(id, out var watch)) return;
        var method = features.Get<IHttpRequestFeature>()?.Method;
        watch.Expect(head: string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase));
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    /// <summary>Unsubscribes from the diagnostic listener.</summary>
    public void Dispose() => _subscription.Dispose();
}
