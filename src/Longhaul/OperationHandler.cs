using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using Longhaul.Input;

namespace Longhaul;

/// <summary>
/// A kind whose input is a type: the common case. <typeparamref name="TInput"/> is the single statement of the input's
/// rules: the schema shown by <c>GET /v1/kinds</c> is generated from it (<see cref="System.Text.Json.Schema.JsonSchemaExporter"/>,
/// with <see cref="DescriptionAttribute"/> and DataAnnotations bounds), and a start request's input is validated
/// against it once, strictly (unknown, missing required, null and wrongly typed members) and by its DataAnnotations and
/// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>, every violation a 422 field error
/// <c>input.&lt;member&gt;</c>. Each attempt then gets the input deserialized; the result is serialized snake_case.
/// </summary>
/// <typeparam name="TInput">The input: a class or record with snake_case JSON members.</typeparam>
/// <typeparam name="TResult">The result stored when an attempt succeeds.</typeparam>
public abstract class OperationHandler<TInput, TResult> : IOperationHandler
{
    // Generated once per input type; a handler registered as a singleton pays it at the first GET /v1/kinds.
    private static readonly Lazy<JsonElement> Schema = new(() => Input.InputSchema.For(typeof(TInput)));

    /// <summary>The kind name clients send, e.g. <c>sleep</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>One line for <c>GET /v1/kinds</c>. Defaults to the handler type's <see cref="DescriptionAttribute"/>, or null.</summary>
    public virtual string? Description => GetType().GetCustomAttribute<DescriptionAttribute>()?.Description;

    /// <summary>The kind's settings in code (attempts, timeout, retry delays, slots). Defaults to null: the engine's defaults.</summary>
    public virtual OperationKindOptions? Defaults => null;

    /// <summary>The JSON Schema generated from <typeparamref name="TInput"/>.</summary>
    public JsonElement? InputSchema => Schema.Value;

    /// <summary>Validates <paramref name="input"/> against <typeparamref name="TInput"/>; every error at once, keyed by JSON path (<c>input.…</c>).</summary>
    public IReadOnlyDictionary<string, string[]>? ValidateInput(JsonElement input) => InputValidator.Validate(input, typeof(TInput));

    async Task<object?> IOperationHandler.ExecuteAsync(OperationContext context, CancellationToken cancellationToken)
    {
        TInput input;
        try
        {
            input = context.Input.Deserialize<TInput>(TypedInputJson.Options)!;
        }
        catch (JsonException)
        {
            // Validated when it was started, so the type changed since: no attempt will read it better.
            throw new PermanentFailureException(Storage.OperationErrors.InvalidInputCode, $"The stored input no longer matches the input of kind '{Kind}'.");
        }
        return await ExecuteAsync(input, context, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one attempt with the validated input. Return = succeeded; throw <see cref="PermanentFailureException"/> =
    /// failed without retry; any other exception = retried. Use <see cref="OperationContext.GetCheckpoint{T}"/>,
    /// <see cref="OperationContext.SaveCheckpointAsync{T}"/> and <see cref="OperationContext.ReportProgressAsync"/> to
    /// resume and report.
    /// </summary>
    protected abstract Task<TResult> ExecuteAsync(TInput input, OperationContext context, CancellationToken cancellationToken);
}
