using System.Diagnostics.CodeAnalysis;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// Typed view of <c>a=rtcp:&lt;port&gt; [&lt;nettype&gt; &lt;addrtype&gt; &lt;address&gt;]</c> (RFC 3605),
/// used when RTCP does not run on the RTP port + 1.
/// </summary>
public sealed record SdpRtcp(int Port, SdpConnection? Connection = null)
{
    public const string AttributeName = "rtcp";

    public static bool TryParse(string? value, [NotNullWhen(true)] out SdpRtcp? rtcp)
    {
        rtcp = null;
        if (value is null)
        {
            return false;
        }

        Span<Range> tokens = stackalloc Range[4];
        if (!SdpText.TrySplit(value, tokens, out var count)
            || (count != 1 && count != 4)
            || !SdpText.TryParsePort(value.AsSpan()[tokens[0]], out var port))
        {
            return false;
        }

        var connection = count == 4
            ? new SdpConnection(value[tokens[1]], value[tokens[2]], value[tokens[3]])
            : null;
        rtcp = new SdpRtcp(port, connection);
        return true;
    }

    public SdpAttribute ToAttribute() =>
        new(AttributeName, Connection is null
            ? $"{Port}"
            : $"{Port} {Connection.NetType} {Connection.AddrType} {Connection.Address}");
}
