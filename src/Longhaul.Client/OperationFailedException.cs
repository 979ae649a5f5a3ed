using Longhaul.Contracts;

namespace Longhaul.Client;

/// <summary>The operation <c>failed</c>; <see cref="LonghaulOperationException.ErrorCode"/> says why.</summary>
public sealed class OperationFailedException : LonghaulOperationException
{
    /// <summary>For the failed <paramref name="operation"/>.</summary>
    public OperationFailedException(OperationResource operation) : base(operation) { }
}
