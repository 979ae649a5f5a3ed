namespace Longhaul.AspNetCore.Admission;

/// <summary>
/// Endpoint metadata of the operator API: only operator keys (or, without keys, anyone) may call it; with
/// <see cref="ClientsToo"/>, client keys as well (<c>GET /v1/usage</c>, which shows a client key its own tenant).
/// </summary>
public sealed class OperatorEndpoint
{
    /// <summary>Operator keys only (<c>/v1/tenants</c>).</summary>
    public static OperatorEndpoint Only { get; } = new(false);

    /// <summary>Operator and client keys (<c>/v1/usage</c>).</summary>
    public static OperatorEndpoint AndClients { get; } = new(true);

    private OperatorEndpoint(bool clientsToo) => ClientsToo = clientsToo;

    /// <summary>True when client keys may call the endpoint too.</summary>
    public bool ClientsToo { get; }
}
