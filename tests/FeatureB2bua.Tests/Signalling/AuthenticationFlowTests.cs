using System.Net;
using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Signalling;

/// <summary>Digest challenges on the wire against the running server with the demo subscribers (RFC 3665 §2.1, RFC 3261 §22).</summary>
public sealed class AuthenticationFlowTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Sha256)]
    public async Task Register_AnswersChallenge_200ListsTheContact(DigestAlgorithm algorithm)
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        using var registered = new MeterRecorder("b2bua_register");
        var phone = new RegisteringPhone(client, "bob", "bob-demo-pw") { Algorithm = algorithm };

        var response = await phone.RegisterAsync($"Contact: <sip:bob@{client.LocalEndPoint}>\nExpires: 600\n");

        Assert.Equal(200, response.StatusCode);
        Assert.Contains(response.Contacts!, c => c.Address!.Uri.Raw == $"sip:bob@{client.LocalEndPoint}" && c.Expires is > 590 and <= 600);
        Assert.True(registered.Total("b2bua_register|result=registered") >= 1);
    }

    [Fact]
    public async Task Register_WithoutCredentials_Gets401WithBothAlgorithms()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        client.Send(SipText.Request("REGISTER", "sip:example.test", branch: "z9hG4bKr401", callId: "r401").Replace("bob@", "alice@", StringComparison.Ordinal));

        var response = await client.ReceiveFinalAsync();

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(DigestAlgorithm.Sha256, DigestClient.FindChallenge(response, HeaderId.WwwAuthenticate, DigestAlgorithm.Sha256).Algorithm);
        Assert.Equal(DigestAlgorithm.Md5, DigestClient.FindChallenge(response, HeaderId.WwwAuthenticate, DigestAlgorithm.Md5).Algorithm);
    }

    [Fact]
    public async Task Invite_AnswersProxyChallenge_IsRoutedAndUnregisteredUserGets480()
    {
        using var client = new UdpSipClient(server.UdpEndPoint);
        // carol is never registered in this fixture (bob is, by another test).
        client.Send(SipText.Request("INVITE", "sip:carol@example.test", branch: "z9hG4bKi1", callId: "inv-auth"));
        var challenge = await client.ReceiveFinalAsync();
        Assert.Equal(407, challenge.StatusCode);
        client.Send(SipText.Request("ACK", "sip:carol@example.test", branch: "z9hG4bKi1", callId: "inv-auth").Replace("To: <sip:bob@example.test>", $"To: <sip:bob@example.test>;tag={challenge.To!.Tag}", StringComparison.Ordinal));

        var credentials = DigestClient.Answer(challenge, "alice", "alice-demo-pw", "INVITE", "sip:carol@example.test", header: HeaderId.ProxyAuthenticate);
        client.Send(SipText.Request("INVITE", "sip:carol@example.test", branch: "z9hG4bKi2", callId: "inv-auth", cseq: 2, extraHeaders: $"Proxy-Authorization: {credentials}\n"));

        Assert.Equal(480, (await client.ReceiveFinalAsync()).StatusCode);
    }

    [Fact]
    public async Task Register_RepeatedWrongPasswords_EndInA403Ban()
    {
        // Its own source address and an unknown user, so the ban touches no other test.
        using var client = new UdpSipClient(server.UdpEndPoint, new IPEndPoint(IPAddress.Parse("127.0.46.1"), 0));
        var statuses = new List<int>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var response = await new RegisteringPhone(client, "mallory", "guess" + attempt).RegisterAsync("Contact: <sip:mallory@127.0.46.1>\n");
            statuses.Add(response.StatusCode);
        }

        // Auth:MaxFailures defaults to 10: the tenth failure starts the ban.
        Assert.All(statuses.Take(9), s => Assert.Equal(401, s));
        Assert.All(statuses.Skip(9), s => Assert.Equal(403, s));
    }
}
