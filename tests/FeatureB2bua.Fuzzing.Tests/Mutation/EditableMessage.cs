using System.Globalization;
using System.Text;

namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>
/// A message cut into start line, header lines and body for structural mutations. Bytes map to chars one to one
/// (Latin-1), so NULs, control bytes and broken UTF-8 in the original survive the round trip unchanged.
/// </summary>
public sealed class EditableMessage
{
    private static readonly Dictionary<string, string> CompactForms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["v"] = "Via", ["l"] = "Content-Length", ["i"] = "Call-ID", ["f"] = "From", ["t"] = "To", ["m"] = "Contact", ["c"] = "Content-Type",
    };

    private EditableMessage(List<string> lines, string body, bool terminated)
    {
        Lines = lines;
        Body = body;
        Terminated = terminated;
    }

    public static Encoding Latin1 => Encoding.Latin1;

    /// <summary>The start line first, then one entry per header line (folded continuations stay separate lines).</summary>
    public List<string> Lines { get; }

    public string Body { get; set; }

    /// <summary>False when the original had no empty line after its headers.</summary>
    public bool Terminated { get; }

    public static EditableMessage Parse(byte[] bytes)
    {
        var text = Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var body = end < 0 ? string.Empty : text[(end + 4)..];
        return new EditableMessage([.. head.Split("\r\n")], body, end >= 0);
    }

    /// <summary>Index of the first header line with this name (compact forms count), or -1.</summary>
    public int Find(string name)
    {
        for (var i = 1; i < Lines.Count; i++)
        {
            if (NameOf(Lines[i]) is { } lineName && string.Equals(Canonical(lineName), name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The value of the first header line with this name, or null.</summary>
    public string? Get(string name)
    {
        var index = Find(name);
        return index < 0 ? null : ValueOf(Lines[index]);
    }

    /// <summary>Replaces the first line with this name, or adds one before the last header.</summary>
    public void Set(string name, string value)
    {
        var index = Find(name);
        if (index >= 0)
        {
            Lines[index] = $"{name}: {value}";
        }
        else
        {
            Lines.Insert(Math.Max(1, Lines.Count - 1), $"{name}: {value}");
        }
    }

    /// <summary>Sets Content-Length to the body's byte count, as a sender that got it right would.</summary>
    public void FixContentLength() => Set("Content-Length", Body.Length.ToString(CultureInfo.InvariantCulture));

    public byte[] ToBytes() => Latin1.GetBytes(string.Join("\r\n", Lines) + (Terminated ? "\r\n\r\n" + Body : string.Empty));

    public static string? NameOf(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || line[0] is ' ' or '\t' ? null : line[..colon].Trim();
    }

    public static string ValueOf(string line) => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();

    private static string Canonical(string name) => CompactForms.TryGetValue(name, out var full) ? full : name;
}
