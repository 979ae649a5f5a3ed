using System.Buffers;
using System.Text.Json;
using Longhaul.Contracts;
using Longhaul.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Longhaul.AspNetCore.Workers;

/// <summary>
/// <c>PUT /v1/kinds/{name}</c> (worker keys): registers a remote kind at run time, stored so every node knows it; for
/// the key's tenant only, or for every tenant when the key acts for all.
/// </summary>
internal static class KindRegistrationEndpoints
{
    private const int MaxDescriptionLength = 1000;

    private static readonly string[] Fields = ["description", "input_schema", "max_attempts", "timeout_seconds"];

    public static void Map(RouteGroupBuilder api)
        => api.MapPut("/kinds/{name}", PutAsync).WithMetadata(WorkerProtocolEndpoint.Instance, OpenApi.ApiDocs.RegisterKind);

    private static async Task PutAsync(HttpContext context, string name)
    {
        using var request = await WorkerRequest.ReadAsync(context).ConfigureAwait(false);
        if (request is null) return;
        var services = context.RequestServices;
        var engine = services.GetRequiredService<IOptions<LonghaulEngineOptions>>().Value;
        if (!RegisteredKinds.IsValidName(name)) request.Errors["name"] = [$"must be 1 to {RegisteredKinds.MaxNameLength} characters without white space, control characters or commas"];
        foreach (var property in request.Root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal)) request.Errors[property.Name] = ["is not a known field"];
        }
        var description = request.String("description", required: false, MaxDescriptionLength);
        var maxAttempts = request.Integer("max_attempts", 1, engine.MaxAttemptsLimit);
        var timeout = request.Number("timeout_seconds", double.Epsilon, engine.MaxTimeout.TotalSeconds);
        string? schema = null;
        if (request.Element("input_schema") is { } element)
        {
            if (RegisteredKinds.Check(element) is { } reason) request.Errors["input_schema"] = [reason];
            else schema = element.GetRawText();
        }
        if (await request.FailedAsync(context).ConfigureAwait(false)) return;
        var caller = LonghaulCaller.Of(context);
        if (caller?.Kinds is { } allowed && !allowed.Contains(name, StringComparer.Ordinal))
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.WrongKeyScope,
                $"This worker key may not register kind '{name}' (its kinds: {string.Join(", ", allowed)}).").ConfigureAwait(false);
            return;
        }
        if (services.GetRequiredService<OperationHandlerRegistry>().TryGet(name, out _))
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.KindExists,
                $"'{name}' is a kind of this server (built in or configured); choose another name.").ConfigureAwait(false);
            return;
        }
        var tenant = caller?.Tenant ?? (string)context.Items[LonghaulMiddleware.TenantItem]!;
        var store = services.GetRequiredService<IOperationStore>();
        var outcome = await store.PutRegisteredKindAsync(new PutRegisteredKindParams(tenant, name, description, schema, maxAttempts, timeout), CancellationToken.None)
            .ConfigureAwait(false);
        if (outcome == PutRegisteredKindOutcome.Conflict)
        {
            await ProblemResults.WriteAsync(context, ProblemCodes.KindExists, tenant == ApiKeyRecord.AllTenants
                ? $"A tenant has registered a kind named '{name}'; a kind for every tenant needs a name no tenant uses."
                : $"'{name}' is registered for every tenant; choose another name.").ConfigureAwait(false);
            return;
        }
        var stored = await store.FindRegisteredKindAsync(new FindRegisteredKindParams(tenant, name), CancellationToken.None).ConfigureAwait(false);
        await WriteAsync(context, stored!, outcome == PutRegisteredKindOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private static Task WriteAsync(HttpContext context, RegisteredKindRecord kind, int status)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", kind.Name);
            if (kind.Tenant == ApiKeyRecord.AllTenants) w.WriteNull("tenant");
            else w.WriteString("tenant", kind.Tenant);
            w.WriteString("description", kind.Description);
            w.WritePropertyName("input_schema");
            if (kind.InputSchema is { } schema) w.WriteRawValue(schema);
            else w.WriteNullValue();
            if (kind.MaxAttempts is { } m) w.WriteNumber("max_attempts", m);
            else w.WriteNull("max_attempts");
            if (kind.TimeoutSeconds is { } t) w.WriteNumber("timeout_seconds", t);
            else w.WriteNull("timeout_seconds");
            w.WritePropertyName("created_at");
            JsonSerializer.Serialize(w, kind.CreatedAt, LonghaulJson.Default.DateTimeOffset);
            w.WritePropertyName("updated_at");
            JsonSerializer.Serialize(w, kind.UpdatedAt, LonghaulJson.Default.DateTimeOffset);
            w.WriteEndObject();
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonResponses.Json;
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
