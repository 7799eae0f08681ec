namespace FeatureB2bua.Sip.Headers;

/// <summary>A generic-param or uri-parameter: a name and an optional value, both as written on the wire.</summary>
public sealed record SipParameter(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : Name + "=" + Value;
}
