namespace Longhaul.Import;

/// <summary>What a table column takes, as far as conversion from text is concerned.</summary>
internal enum ValueKind
{
    Text,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Decimal,
    Boolean,
    Date,
    Timestamp,
    TimestampTz,
    Uuid,
    Json,
}
