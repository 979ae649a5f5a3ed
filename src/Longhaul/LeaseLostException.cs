namespace Longhaul;

/// <summary>A write was refused because this worker no longer holds the operation's lease.</summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException() : base("The operation's lease was lost; another worker may own it now.") { }

    public LeaseLostException(string message) : base(message) { }

    public LeaseLostException(string message, Exception innerException) : base(message, innerException) { }
}
