using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>The operation was <c>cancelled</c> (by a client); not <see cref="OperationCanceledException"/>, which is about the caller's own token.</summary>
public sealed class OperationCancelledException : LonghaulOperationException
{
    /// <summary>For the cancelled <paramref name="operation"/>.</summary>
    public OperationCancelledException(OperationResource operation) : base(operation) { }
}
