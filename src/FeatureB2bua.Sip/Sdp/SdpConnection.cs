namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// A c= line (RFC 8866 §5.7). <see cref="Address"/> is kept as written, including any
/// multicast <c>/ttl</c> or <c>/count</c> suffix.
/// </summary>
public sealed record SdpConnection(string NetType, string AddrType, string Address)
{
    public static SdpConnection Ip4(string address) => new("IN", "IP4", address);

    public static SdpConnection Ip6(string address) => new("IN", "IP6", address);

    /// <summary>The address without a multicast <c>/ttl</c> or <c>/count</c> suffix.</summary>
    public string Host
    {
        get
        {
            var slash = Address.IndexOf('/');
            return slash < 0 ? Address : Address[..slash];
        }
    }

    /// <summary>
    /// True for <c>IN IP4 0.0.0.0</c>, the pre-RFC 3264 way to put a stream on hold
    /// (RFC 3264 §8.4 still asks answerers to understand it).
    /// </summary>
    public bool IsHoldAddress =>
        NetType == "IN" && AddrType == "IP4" && Host == "0.0.0.0";
}
