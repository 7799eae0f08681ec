namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// One a= line (RFC 8866 §5.13). <see cref="Value"/> is null for a property attribute
/// (<c>a=sendonly</c>) and empty for <c>a=name:</c>, so both forms write back unchanged.
/// </summary>
public sealed record SdpAttribute
{
    public SdpAttribute(string name, string? value = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string? Value { get; }
}
