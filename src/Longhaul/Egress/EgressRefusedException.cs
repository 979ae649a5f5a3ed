namespace Longhaul.Egress;

/// <summary>
/// Thrown by the guard's connect callback when a destination is refused. Nothing was sent: the refusal happens before
/// a socket is opened. <see cref="System.Net.Http.SocketsHttpHandler"/> surfaces it as the inner exception of an
/// <see cref="System.Net.Http.HttpRequestException"/>.
/// </summary>
internal sealed class EgressRefusedException(string reason) : Exception(reason)
{
    /// <summary>The stable error code callers report.</summary>
    public const string Code = "egress_refused";

    public string Reason { get; } = reason;
}
