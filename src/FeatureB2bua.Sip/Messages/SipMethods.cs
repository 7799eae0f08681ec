using System.Text;

namespace FeatureB2bua.Sip.Messages;

/// <summary>Method tokens on the wire. Methods are case-sensitive (RFC 3261 §7.1).</summary>
public static class SipMethods
{
    private static readonly byte[][] Names =
    [
        [],
        "INVITE"u8.ToArray(),
        "ACK"u8.ToArray(),
        "BYE"u8.ToArray(),
        "CANCEL"u8.ToArray(),
        "OPTIONS"u8.ToArray(),
        "REGISTER"u8.ToArray(),
        "INFO"u8.ToArray(),
        "UPDATE"u8.ToArray(),
        "PRACK"u8.ToArray(),
        "SUBSCRIBE"u8.ToArray(),
        "NOTIFY"u8.ToArray(),
        "REFER"u8.ToArray(),
        "MESSAGE"u8.ToArray(),
        "PUBLISH"u8.ToArray(),
    ];

    private static readonly string[] Strings = Array.ConvertAll(Names, n => Encoding.ASCII.GetString(n));

    public static SipMethod Parse(ReadOnlySpan<byte> token)
    {
        for (var i = 1; i < Names.Length; i++)
        {
            if (token.SequenceEqual(Names[i]))
            {
                return (SipMethod)i;
            }
        }

        return SipMethod.Unknown;
    }

    public static ReadOnlySpan<byte> GetBytes(SipMethod method) => Names[(int)method];

    public static string GetName(SipMethod method) => Strings[(int)method];
}
