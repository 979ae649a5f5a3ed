namespace Longhaul.Storage;

/// <summary>
/// A server secret shared by every node of a store: the one stored under <paramref name="Name"/>, or
/// <paramref name="Candidate"/> when none is stored yet (the first writer wins, so nodes racing at start agree).
/// </summary>
/// <param name="Name">The secret's name.</param>
/// <param name="Candidate">The bytes to store when none are stored yet.</param>
public sealed record SecretParams(string Name, byte[] Candidate);
