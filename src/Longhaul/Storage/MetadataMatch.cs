namespace Longhaul.Storage;

/// <summary>A metadata equality filter: the member <paramref name="Key"/> of the operation's metadata object is the string <paramref name="Value"/>.</summary>
/// <param name="Key">A top-level member name of <c>metadata</c>.</param>
/// <param name="Value">The string value it must have (numbers, booleans and objects never match).</param>
public sealed record MetadataMatch(string Key, string Value);
