using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;

namespace Longhaul.Input;

/// <summary>One member of an <see cref="ObjectPlan"/>: its contract and its validation attributes (on the property or its constructor parameter).</summary>
internal sealed record MemberPlan(JsonPropertyInfo Property, ValidationAttribute[] Attributes);
