using System.Text;

namespace Longhaul.AspNetCore;

/// <summary>
/// Follows a <see cref="System.Text.Json.Utf8JsonReader"/> through a document and names where it is
/// (<c>metadata.tags[2]</c>), so that an error can name the field at fault. Optionally remembers each object's
/// member names to find a repeated one.
/// </summary>
internal sealed class JsonPathTracker(bool trackNames)
{
    private readonly List<Frame> _frames = [];

    /// <summary>The path of the current value; empty at the root.</summary>
    public string Current
    {
        get
        {
            var text = new StringBuilder();
            foreach (var frame in _frames)
            {
                if (frame.IsArray) text.Append('[').Append(frame.Index).Append(']');
                else if (frame.Member is { } member) text.Append(text.Length == 0 ? "" : ".").Append(member);
            }
            return text.ToString();
        }
    }

    /// <summary>A value starts (a scalar, an object or an array): in an array, it is the next element.</summary>
    public void Value()
    {
        if (_frames.Count > 0 && _frames[^1].IsArray) _frames[^1].Index++;
    }

    public void EnterObject() => _frames.Add(new Frame(false, trackNames ? new HashSet<string>(StringComparer.Ordinal) : null));

    public void EnterArray() => _frames.Add(new Frame(true, null));

    public void Leave() => _frames.RemoveAt(_frames.Count - 1);

    /// <summary>Moves to a member of the current object; false when the object already had a member of that name.</summary>
    public bool Member(string name)
    {
        var frame = _frames[^1];
        frame.Member = name;
        return frame.Names?.Add(name) ?? true;
    }

    private sealed class Frame(bool isArray, HashSet<string>? names)
    {
        public bool IsArray { get; } = isArray;
        public HashSet<string>? Names { get; } = names;
        public int Index { get; set; } = -1;
        public string? Member { get; set; }
    }
}
