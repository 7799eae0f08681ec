using System.Collections.ObjectModel;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// The a= lines of one level (session or media), in the order received so that attributes this
/// code does not understand are written back where they were. Names compare ordinally.
/// </summary>
public sealed class SdpAttributeList : Collection<SdpAttribute>
{
    public void Add(string name, string? value = null) => Add(new SdpAttribute(name, value));

    public SdpAttribute? Find(string name)
    {
        var index = IndexOf(name, 0);
        return index < 0 ? null : this[index];
    }

    public bool Contains(string name) => IndexOf(name, 0) >= 0;

    /// <summary>Value of the first attribute with this name; null if absent or valueless.</summary>
    public string? GetValue(string name) => Find(name)?.Value;

    /// <summary>
    /// Replaces the first attribute with this name in place and drops any later ones,
    /// or appends when there is none.
    /// </summary>
    public void Set(SdpAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        var index = IndexOf(attribute.Name, 0);
        if (index < 0)
        {
            Add(attribute);
            return;
        }

        this[index] = attribute;
        RemoveFrom(attribute.Name, index + 1);
    }

    public void Set(string name, string? value = null) => Set(new SdpAttribute(name, value));

    /// <summary>Removes every attribute with this name and returns how many went.</summary>
    public int RemoveAll(string name) => RemoveFrom(name, 0);

    /// <summary>The first direction attribute (RFC 8866 §6.7) at this level, if any.</summary>
    public MediaDirection? Direction
    {
        get
        {
            var index = IndexOfDirection(0);
            return index < 0 ? null : ParseDirection(this[index].Name);
        }
    }

    /// <summary>
    /// Puts <paramref name="direction"/> where the existing direction attribute was, so the
    /// rest of the order is unchanged; removes any further direction attributes.
    /// </summary>
    public void SetDirection(MediaDirection direction)
    {
        var attribute = new SdpAttribute(FormatDirection(direction));
        var index = IndexOfDirection(0);
        if (index < 0)
        {
            Add(attribute);
            return;
        }

        this[index] = attribute;
        RemoveDirections(index + 1);
    }

    public void RemoveDirection() => RemoveDirections(0);

    internal static MediaDirection? ParseDirection(string name) => name switch
    {
        "sendrecv" => MediaDirection.SendRecv,
        "sendonly" => MediaDirection.SendOnly,
        "recvonly" => MediaDirection.RecvOnly,
        "inactive" => MediaDirection.Inactive,
        _ => null,
    };

    internal static string FormatDirection(MediaDirection direction) => direction switch
    {
        MediaDirection.SendRecv => "sendrecv",
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    protected override void InsertItem(int index, SdpAttribute item)
    {
        ArgumentNullException.ThrowIfNull(item);
        base.InsertItem(index, item);
    }

    protected override void SetItem(int index, SdpAttribute item)
    {
        ArgumentNullException.ThrowIfNull(item);
        base.SetItem(index, item);
    }

    // A direction is a property attribute; "a=sendonly:x" is something else and is left alone.
    private static bool IsDirection(SdpAttribute attribute) =>
        attribute.Value is null && ParseDirection(attribute.Name) is not null;

    private int IndexOf(string name, int start)
    {
        for (var i = start; i < Count; i++)
        {
            if (this[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private int IndexOfDirection(int start)
    {
        for (var i = start; i < Count; i++)
        {
            if (IsDirection(this[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private int RemoveFrom(string name, int start)
    {
        var removed = 0;
        for (var i = Count - 1; i >= start; i--)
        {
            if (this[i].Name == name)
            {
                RemoveAt(i);
                removed++;
            }
        }

        return removed;
    }

    private void RemoveDirections(int start)
    {
        for (var i = Count - 1; i >= start; i--)
        {
            if (IsDirection(this[i]))
            {
                RemoveAt(i);
            }
        }
    }
}
