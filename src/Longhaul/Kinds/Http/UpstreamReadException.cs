namespace Longhaul.Kinds.Http;

/// <summary>
/// Reading the upstream's answer failed (the connection broke): told apart from an I/O failure of Longhaul's own
/// (the store, a file), which must not pass for the upstream's doing.
/// </summary>
internal sealed class UpstreamReadException(Exception inner) : IOException("Reading the upstream's answer failed.", inner);
