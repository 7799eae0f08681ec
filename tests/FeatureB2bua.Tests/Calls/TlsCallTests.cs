using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Signalling;

namespace FeatureB2bua.Tests.Calls;

/// <summary>Calls with a TLS leg: a phone registered over TLS is called back on its connection, sips: is never downgraded, and an upstream is reached over TLS.</summary>
public sealed class TlsCallTests : IDisposable
{
    // Only the harness's own caller and callee (127.0.0.1) are trusted; a phone on 127.0.0.3 must answer digest challenges.
    private static readonly IPEndPoint UntrustedPhone = new(IPAddress.Parse("127.0.0.3"), 0);
    private readonly TestCertificate _certificate = new("b2bua");
    private readonly TestCertificate _upstreamCertificate = new("upstream");

    [Fact]
    public async Task Phone_registered_with_digest_over_tls_is_called_on_that_connection_and_the_call_completes()
    {
        await using var h = await CallHarness.StartAsync([.. TlsSignallingTests.TlsArguments(_certificate), "--Routing:Trusted:0=127.0.0.1/32"]);
        using var phone = await TcpSipClient.ConnectTlsAsync(h.Server.TlsEndPoint!, _certificate, bindTo: UntrustedPhone);
        var local = phone.LocalEndPoint;
        var contact = $"sip:carol@{local};transport=tls";

        await phone.SendAsync(Register(local, contact, 1, authorization: null));
        var challenge = await phone.ReceiveAsync();
        var credentials = DigestClient.Answer(challenge, "carol", "carol-demo-pw", "REGISTER", "sip:example.test");
        await phone.SendAsync(Register(local, contact, 2, credentials));
        var registered = await phone.ReceiveAsync();

        h.Caller.Send(h.Invite(user: "carol"));
        var bInvite = await phone.ReceiveAsync(m => m.IsRequest && m.Method == SipMethod.Invite);
        await phone.SendAsync(Answer(bInvite, local));
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKtlsack"));
        var bAck = await phone.ReceiveAsync(m => m.IsRequest && m.Method == SipMethod.Ack);
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKtlsbye"));
        var bBye = await phone.ReceiveAsync(m => m.IsRequest && m.Method == SipMethod.Bye);
        await phone.SendAsync(ResponseBuilder.Create(bBye, 200, "OK").Raw.ToArray());

        Assert.Equal(401, challenge.StatusCode);
        Assert.Equal(200, registered.StatusCode);
        Assert.Equal(contact, bInvite.RequestUri!.Raw);
        Assert.All([bInvite, bAck, bBye], m => Assert.Equal("TLS", m.TopVia!.Transport));
        Assert.EndsWith(";transport=tls>", bInvite.GetHeader(HeaderId.Contact), StringComparison.Ordinal);
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        await h.AssertEndedAsync("answered");
    }

    [Fact]
    public async Task Sips_invite_to_a_user_registered_only_without_tls_is_refused_480_with_warning_380()
    {
        await using var h = await CallHarness.StartAsync(TlsSignallingTests.TlsArguments(_certificate));
        var registered = await new RegisteringPhone(h.Callee, "carol", "carol-demo-pw").RegisterAsync($"Contact: <sip:carol@{h.Callee.LocalEndPoint}>\n");

        h.Caller.Send(h.Invite(user: "carol").Replace("INVITE sip:carol@", "INVITE sips:carol@", StringComparison.Ordinal));
        var refusal = await CallHarness.NextResponseAsync(h.Caller, 480);

        Assert.Equal(200, registered.StatusCode);
        Assert.StartsWith("380 ", refusal.GetHeader(HeaderId.Warning), StringComparison.Ordinal);
        Assert.Contains("SIPS Not Allowed", refusal.GetHeader(HeaderId.Warning), StringComparison.Ordinal);
        Assert.Null(await h.Callee.ReceiveAsync(300));
    }

    [Fact]
    public async Task Upstream_on_sips_is_reached_over_tls_when_its_ca_is_configured()
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        await using var h = await CallHarness.StartAsync([.. UpstreamArguments(upstream), $"--Sip:Tls:CaFile={_upstreamCertificate.CertificateFile}"]);

        h.Caller.Send(h.Invite(user: "dave"));
        using var leg = await TcpSipClient.AcceptTlsAsync(upstream, _upstreamCertificate.Certificate);
        var bInvite = await leg.ReceiveAsync(m => m.IsRequest && m.Method == SipMethod.Invite);
        await leg.SendAsync(ResponseBuilder.Create(bInvite, 486, "Busy Here", "up1").Raw.ToArray());
        var busy = await CallHarness.NextResponseAsync(h.Caller, 486);
        var ack = await leg.ReceiveAsync(m => m.IsRequest && m.Method == SipMethod.Ack);

        Assert.StartsWith($"sips:dave@127.0.0.1:{((IPEndPoint)upstream.LocalEndpoint).Port}", bInvite.RequestUri!.Raw, StringComparison.Ordinal);
        Assert.Equal("TLS", bInvite.TopVia!.Transport);
        Assert.StartsWith("<sips:b2bua@", bInvite.GetHeader(HeaderId.Contact), StringComparison.Ordinal);
        Assert.Equal(bInvite.TopVia.Branch, ack.TopVia!.Branch);
        Assert.Equal(486, busy.StatusCode);
    }

    [Fact]
    public async Task Upstream_whose_certificate_is_not_trusted_is_not_used()
    {
        using var upstream = new TcpListener(IPAddress.Loopback, 0);
        upstream.Start();
        await using var h = await CallHarness.StartAsync(UpstreamArguments(upstream));

        h.Caller.Send(h.Invite(user: "dave"));
        var handshake = TcpSipClient.AcceptTlsAsync(upstream, _upstreamCertificate.Certificate);
        var refusal = await CallHarness.NextResponseAsync(h.Caller, 503);

        // The B2BUA checked the certificate against the system roots, found it unknown and closed the connection unused.
        Assert.Null(await FirstMessageAsync(handshake));
        Assert.Equal(503, refusal.StatusCode);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _upstreamCertificate.Dispose();
    }

    private string[] UpstreamArguments(TcpListener upstream) =>
    [
        .. TlsSignallingTests.TlsArguments(_certificate),
        "--Routing:Routes:1:Pattern=^dave$",
        $"--Routing:Routes:1:Targets:0=sips:127.0.0.1:{((IPEndPoint)upstream.LocalEndpoint).Port}",
    ];

    // Under TLS 1.3 the server's side of the handshake may finish before the client rejects the certificate.
    private static async Task<SipMessage?> FirstMessageAsync(Task<TcpSipClient> accepting)
    {
        try
        {
            using var connection = await accepting;
            return await connection.ReceiveAsync();
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            return null;
        }
    }

    private static string Register(IPEndPoint local, string contact, int cseq, string? authorization) =>
        "REGISTER sip:example.test SIP/2.0\n" +
        $"Via: SIP/2.0/TLS {local};branch=z9hG4bKtlsreg{cseq};rport\n" +
        "Max-Forwards: 70\n" +
        "From: <sip:carol@example.test>;tag=tlsreg\n" +
        "To: <sip:carol@example.test>\n" +
        "Call-ID: tls-register\n" +
        $"CSeq: {cseq} REGISTER\n" +
        $"Contact: <{contact}>\n" +
        "Expires: 600\n" +
        (authorization is null ? string.Empty : $"Authorization: {authorization}\n") +
        "Content-Length: 0\n\n";

    private static byte[] Answer(SipMessage invite, IPEndPoint local) =>
        ResponseBuilder.Create(invite, 200, "OK", "carol1", w => w.WriteHeader(HeaderId.Contact, $"<sip:carol@{local};transport=tls>"), Encoding.ASCII.GetBytes(CallHarness.AnswerSdp), "application/sdp").Raw.ToArray();
}
