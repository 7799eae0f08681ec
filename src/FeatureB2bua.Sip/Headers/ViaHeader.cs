using System.Text;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Headers;

/// <summary>One via-parm: <c>SIP/2.0/transport sent-by *(;param)</c> (RFC 3261 §20.42) with RFC 3581 rport.</summary>
public sealed class ViaHeader
{
    /// <summary>RFC 3261 §8.1.1.7: a branch starting with this cookie was made by an RFC 3261 element.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>The start of the Via we put on a request: <c>SIP/2.0/UDP host:port</c>, before its parameters.</summary>
    public static string Ours(TransportProtocol protocol, string sentBy) => $"SIP/2.0/{protocol.ToString().ToUpperInvariant()} {sentBy}";

    public ViaHeader(string transport, string host, int? port, IReadOnlyList<SipParameter> parameters)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Parameters = parameters;
    }

    /// <summary>Upper case: UDP, TCP, TLS, SCTP, WS or any extension token.</summary>
    public string Transport { get; }

    public string Host { get; }

    public int? Port { get; }

    public IReadOnlyList<SipParameter> Parameters { get; }

    public string? Branch => ParameterList.GetValue(Parameters, "branch");

    public string? Received => ParameterList.GetValue(Parameters, "received");

    public string? MAddr => ParameterList.GetValue(Parameters, "maddr");

    /// <summary>RFC 3581 §3: an rport parameter, with or without a value.</summary>
    public bool HasRPort => ParameterList.Find(Parameters, "rport") is not null;

    public int? RPort => int.TryParse(ParameterList.GetValue(Parameters, "rport"), out var port) ? port : null;

    /// <summary>True when the branch carries the RFC 3261 magic cookie and something after it (RFC 4475 §3.2.1).</summary>
    public bool IsRfc3261Branch => Branch is { Length: > 7 } branch && branch.StartsWith(MagicCookie, StringComparison.Ordinal);

    public string SentBy => field ??= Port is null ? Host : Host + ":" + Port.Value;

    public static bool TryParse(ReadOnlySpan<byte> value, out ViaHeader? via)
    {
        via = null;
        var scanner = new SipScanner(value);
        scanner.SkipLws();
        // Any protocol version is read: a request from SIP/7.0 must still be answerable with 505 (RFC 4475 §3.1.2.16).
        if (!scanner.TryReadToken(out var protocol) || !protocol.SequenceEqual("SIP"u8)
            || !scanner.TryConsumeSeparator((byte)'/') || !scanner.TryReadToken(out _)
            || !scanner.TryConsumeSeparator((byte)'/') || !scanner.TryReadToken(out var transport))
        {
            return false;
        }

        var afterTransport = scanner.Position;
        scanner.SkipLws();
        if (scanner.Position == afterTransport)
        {
            return false;
        }

        var hostStart = scanner.Position;
        if (scanner.Peek((byte)'['))
        {
            var close = scanner.Rest.IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }

            scanner.Position += close + 1;
        }
        else
        {
            while (!scanner.AtEnd && ByteClass.IsHostChar(scanner.Current))
            {
                scanner.Position++;
            }
        }

        if (scanner.Position == hostStart)
        {
            return false;
        }

        var host = Encoding.ASCII.GetString(scanner.Slice(hostStart, scanner.Position));
        int? port = null;
        if (scanner.TryConsumeSeparator((byte)':'))
        {
            if (!scanner.TryReadUInt(out var p, 5) || p > 65535)
            {
                return false;
            }

            port = (int)p;
        }

        var parameters = new List<SipParameter>();
        if (!ParameterList.TryRead(ref scanner, parameters))
        {
            return false;
        }

        via = new ViaHeader(Encoding.ASCII.GetString(transport).ToUpperInvariant(), host, port, parameters);
        return true;
    }

    public override string ToString()
    {
        var builder = new StringBuilder("SIP/2.0/").Append(Transport).Append(' ').Append(SentBy);
        ParameterList.Append(builder, Parameters);
        return builder.ToString();
    }
}
