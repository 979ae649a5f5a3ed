namespace Longhaul.Postgres;

/// <summary>
/// One fenced worker write as a single statement that returns a row when the lease held and none when it was lost;
/// <paramref name="SetSql"/>: the same write for many operations at once, each parameter bound as an array with one
/// element per operation, returning the id of each operation whose lease held. A write alone in its kind and flush
/// goes out as <paramref name="Sql"/>: that measured cheaper than the set form for one row (drain ~4 %, ADR 10).
/// <paramref name="NotifyChanged"/>: publish <c>OperationChanged</c> for <paramref name="OperationId"/> once committed.
/// <paramref name="OrderKey"/>: the operation's seq when known (the order in which a batch locks rows), else <see cref="long.MaxValue"/>.
/// </summary>
internal sealed record PostgresFencedWrite(
    string Sql,
    string SetSql,
    string OperationId,
    bool NotifyChanged,
    PostgresParameterValue[] Parameters,
    long OrderKey = long.MaxValue);
