namespace Longhaul.Kinds.Http;

/// <summary>The upstream's body passed <see cref="UpstreamOptions.MaxResponseBytes"/>.</summary>
internal sealed class ResponseTooLargeException(long limit) : Exception($"The upstream's response is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}
