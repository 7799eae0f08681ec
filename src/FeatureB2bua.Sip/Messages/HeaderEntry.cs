namespace FeatureB2bua.Sip.Messages;

/// <summary>Where one header line sits in the raw buffer; the value excludes the LWS around it and keeps any folding.</summary>
public readonly record struct HeaderEntry(HeaderId Id, int NameStart, int NameLength, int ValueStart, int ValueLength);
