using System.Net;
using System.Text;
using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>A phone that registers over UDP the way RFC 3665 §2.1 shows: REGISTER, 401, REGISTER with credentials, 200.</summary>
public sealed class RegisteringPhone(UdpSipClient client, string user, string password, string domain = "example.test")
{
    private readonly string _callId = "phone-" + Guid.NewGuid().ToString("N");
    private int _cseq;

    public DigestAlgorithm Algorithm { get; init; } = DigestAlgorithm.Md5;

    /// <summary>Where the REGISTER with credentials goes when not to the server that challenged: another node of a cluster.</summary>
    public IPEndPoint? AnswerTo { get; init; }

    /// <summary>Sends the REGISTER (with the given Contact/Expires lines), answers one challenge, returns the final response.</summary>
    public async Task<SipMessage> RegisterAsync(string headers)
    {
        client.Send(Build(headers, authorization: null));
        var first = await client.ReceiveFinalAsync();
        if (first.StatusCode != 401)
        {
            return first;
        }

        var credentials = DigestClient.Answer(first, user, password, "REGISTER", $"sip:{domain}", Algorithm, realm: domain);
        var answer = Build(headers, credentials);
        if (AnswerTo is null)
        {
            client.Send(answer);
        }
        else
        {
            client.SendTo(Encoding.UTF8.GetBytes(SipText.Normalize(answer)), AnswerTo);
        }

        return await client.ReceiveFinalAsync();
    }

    private string Build(string headers, string? authorization) =>
        $"REGISTER sip:{domain} SIP/2.0\n" +
        $"Via: SIP/2.0/UDP {client.LocalEndPoint};branch=z9hG4bK{Guid.NewGuid():N};rport\n" +
        "Max-Forwards: 70\n" +
        $"From: <sip:{user}@{domain}>;tag=ph{_callId[..8]}\n" +
        $"To: <sip:{user}@{domain}>\n" +
        $"Call-ID: {_callId}\n" +
        $"CSeq: {++_cseq} REGISTER\n" +
        (authorization is null ? string.Empty : $"Authorization: {authorization}\n") +
        headers +
        "Content-Length: 0\n\n";
}
