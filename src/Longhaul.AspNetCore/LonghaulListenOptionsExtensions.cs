using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Longhaul.AspNetCore;

/// <summary>Kestrel listener settings for Longhaul.</summary>
public static class LonghaulListenOptionsExtensions
{
    /// <summary>
    /// Requests Kestrel rejects before any middleware runs (request line or headers too long or malformed, bad body
    /// framing, a header timeout) answer a problem document with a stable <c>code</c> instead of Kestrel's empty body
    /// (ADR 11). Add it to plain-HTTP endpoints (<c>ConfigureEndpointDefaults</c>); on an endpoint where it would sit
    /// below TLS it sees only encrypted bytes and changes nothing. Needs <c>AddLonghaulApi</c>.
    /// </summary>
    public static ListenOptions UseLonghaulRejectionProblems(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var problems = listenOptions.ApplicationServices.GetRequiredService<KestrelRejectionProblems>();
        listenOptions.Use(next => async connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new RejectionDuplexPipe(transport.Input, new RejectionPipeWriter(transport.Output, problems.Watch(connection.ConnectionId)));
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                problems.Forget(connection.ConnectionId);
                connection.Transport = transport;
            }
        });
        return listenOptions;
    }
}
