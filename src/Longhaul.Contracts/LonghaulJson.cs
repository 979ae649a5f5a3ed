using System.Text.Json;
using System.Text.Json.Serialization;

namespace Longhaul.Contracts;

/// <summary>Source-generated serialization for every wire type: snake_case, UTC timestamps.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(UtcTimestampConverter), typeof(VerbatimJsonElementConverter)],
    AllowTrailingCommas = false,
    MaxDepth = 64)]
[JsonSerializable(typeof(OperationResource))]
[JsonSerializable(typeof(StartOperationRequest))]
[JsonSerializable(typeof(OperationList))]
[JsonSerializable(typeof(KindList))]
[JsonSerializable(typeof(OverviewResource))]
[JsonSerializable(typeof(StorageUsageResource))]
[JsonSerializable(typeof(UploadResource))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(ProgressInfo))]
[JsonSerializable(typeof(OperationError))]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(WebhookDeliveryList))]
[JsonSerializable(typeof(WebhookSecretList))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(TenantLimitValues))]
[JsonSerializable(typeof(TenantLimitsResource))]
[JsonSerializable(typeof(TenantList))]
[JsonSerializable(typeof(UsageList))]
public sealed partial class LonghaulJson : JsonSerializerContext;
