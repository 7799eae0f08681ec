using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Tests.Parsing;

/// <summary>Typed views of RFC 3665 flow messages: the fields a registrar and a B2BUA act on.</summary>
public sealed class FlowMessageTests
{
    [Fact]
    public void Register401_FoldedChallenge_ReadAsDigest()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc3665", "2.01-F02-401.sip"));

        var challenge = m!.GetChallenge(HeaderId.WwwAuthenticate)!;

        Assert.Equal(401, m.StatusCode);
        Assert.Equal("atlanta.example.com", challenge.Realm);
        Assert.Equal("ea9c8e88df84f1cec4341ae6cbe5a359", challenge.Nonce);
        Assert.Equal(DigestAlgorithm.Md5, challenge.Algorithm);
        Assert.Equal("192.0.2.201", m.TopVia!.Received);
    }

    [Fact]
    public void RegisterWithCredentials_AuthorizationReadAsDigest()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc3665", "2.01-F03-REGISTER.sip"));

        var credentials = m!.GetCredentials(HeaderId.Authorization, out var error);

        Assert.Equal(DigestParseError.None, error);
        Assert.Equal("bob", credentials!.Username);
        Assert.Equal("atlanta.example.com", credentials.Realm);
        Assert.Equal(SipMethod.Register, m.Method);
        Assert.Equal(2u, m.CSeq!.Number);
        Assert.Null(m.GetCredentials(HeaderId.ProxyAuthorization, out _));
    }

    [Fact]
    public void InviteThroughProxies_RecordRouteAndRouteSetsRead()
    {
        var (invite, _) = Corpus.Judge(Corpus.Read("rfc3665", "3.02-F07-INVITE.sip"));
        var (bye, _) = Corpus.Judge(Corpus.Read("rfc3665", "3.02-F18-BYE.sip"));

        Assert.NotEmpty(invite!.RecordRoutes!);
        Assert.All(bye!.Routes!, r => Assert.True(r.Uri.IsLooseRouter));
        Assert.Equal(2, bye.Routes!.Count);
    }
}
