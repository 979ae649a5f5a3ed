namespace Longhaul;

/// <summary>
/// Starts operations from an app's own code (a controller, a service) and reads them back, without HTTP. Registered by
/// <c>AddLonghaul</c>; inject it. A start is checked exactly as <c>POST /v1/operations</c> checks one: the kind must be
/// registered, the handler's <see cref="IOperationHandler.ValidateInput"/> must accept the input, and the options must be
/// within the engine's limits; unset options take the kind's defaults (configuration over the handler's
/// <see cref="IOperationHandler.Defaults"/> over the engine's).
/// </summary>
/// <remarks>
/// On PostgreSQL, <c>StartInTransactionAsync</c> (in <c>Longhaul.Postgres</c>) starts an operation inside the caller's
/// own <c>NpgsqlTransaction</c>, so that the app's write and the operation commit together or not at all.
/// </remarks>
public interface IOperationStarter
{
    /// <summary>
    /// Starts an operation of <paramref name="kind"/> with <paramref name="input"/> (serialized with the input's own
    /// JSON settings, snake_case; a <see cref="System.Text.Json.JsonElement"/> is taken as it is; null means <c>{}</c>).
    /// Returns once the operation is durable. With <see cref="OperationStartOptions.IdempotencyKey"/>, a repeat of the
    /// same start (same kind, input, metadata and options) within the retention returns the operation already started,
    /// with <see cref="OperationStartResult.Replayed"/> set.
    /// </summary>
    /// <exception cref="OperationValidationException">The kind is unknown, the input or an option is invalid.</exception>
    /// <exception cref="IdempotencyKeyReusedException">The key was used with a different start.</exception>
    /// <exception cref="IdempotencyKeyInFlightException">A request with the key is still being processed (an HTTP start waiting with <c>Prefer: wait</c>).</exception>
    Task<OperationStartResult> StartAsync(string kind, object? input, OperationStartOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The operation as last committed; null when the id is unknown or belongs to another tenant.
    /// <paramref name="tenant"/> defaults to <see cref="OperationStartOptions.DefaultTenant"/>.
    /// </summary>
    Task<Operation?> GetAsync(string id, string? tenant = null, CancellationToken cancellationToken = default);
}
