using FeatureB2bua.Core.Registration;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Registration;

/// <summary>Each rule of RFC 3261 §10.3, asserted on the response the registrar sends.</summary>
public sealed class RegistrarRulesTests : IDisposable
{
    private readonly RegistrarHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Register_NewContact_200ListsItWithExpiresHeaderValue()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 1800\n");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["<sip:alice@192.0.2.10:5062>;expires=1800"], response.GetValues(HeaderId.Contact));
        Assert.NotNull(response.GetHeader(HeaderId.Date));
    }

    [Fact]
    public async Task Register_NoExpiresAnywhere_GetsDefault()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\n");

        Assert.Equal(3600u, Assert.Single(response.Contacts!).Expires);
    }

    [Fact]
    public async Task Register_ContactExpiresParameter_WinsOverExpiresHeader()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>;expires=600\nExpires: 1800\n");

        Assert.Equal(600u, Assert.Single(response.Contacts!).Expires);
    }

    [Fact]
    public async Task Register_ExpiresInsideAngleBrackets_IsAUriParameterNotAnExpiry()
    {
        // Seed 001's trap: ";expires=60" inside <> belongs to the URI; the header's 1800 applies.
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062;expires=60>\nExpires: 1800\n");

        var contact = Assert.Single(response.Contacts!);
        Assert.Equal(1800u, contact.Expires);
        Assert.Equal("sip:alice@192.0.2.10:5062;expires=60", contact.Address!.Uri.Raw);
    }

    [Fact]
    public async Task Register_TooBrief_Gets423WithMinExpires()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 30\n");

        Assert.Equal(423, response.StatusCode);
        Assert.Equal(60u, response.MinExpires);
        Assert.Empty(await _h.Store.GetBindingsAsync("alice@example.test", _h.Clock.Now));
    }

    [Fact]
    public async Task Register_LongerThanMaximum_IsCutToMaximum()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 100000\n");

        Assert.Equal(7200u, Assert.Single(response.Contacts!).Expires);
    }

    [Fact]
    public async Task Register_SeveralContactsWithQ_AllListedWithTheirQ()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>;q=0.7, <sip:alice@198.51.100.4>;q=0.2\nExpires: 1800\n");

        Assert.Equal(2, response.Contacts!.Count);
        Assert.Contains(response.Contacts, c => c.Q == 700 && c.Address!.Uri.Host == "192.0.2.10");
        Assert.Contains(response.Contacts, c => c.Q == 200 && c.Address!.Uri.Host == "198.51.100.4");
    }

    [Fact]
    public async Task Refresh_SameCallIdHigherCSeq_ExtendsBinding()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 600\n", cseq: 1);
        _h.Clock.Advance(TimeSpan.FromSeconds(500));

        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 600\n", cseq: 2);

        Assert.Equal(600u, Assert.Single(response.Contacts!).Expires);
    }

    [Fact]
    public async Task Refresh_SameCallIdCSeqNotHigher_IsRefusedAndChangesNothing()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 600\n", cseq: 5);

        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 0\n", cseq: 5);

        Assert.Equal(400, response.StatusCode);
        Assert.Single(await _h.Store.GetBindingsAsync("alice@example.test", _h.Clock.Now));
    }

    [Fact]
    public async Task Refresh_OtherCallIdLowerCSeq_Updates()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 600\n", callId: "a", cseq: 9);

        // §10.3 step 7 compares CSeq only within one Call-ID: a rebooted phone starts again at 1.
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 900\n", callId: "b", cseq: 1);

        Assert.Equal(900u, Assert.Single(response.Contacts!).Expires);
    }

    [Fact]
    public async Task Unregister_ExpiresHeaderZero_RemovesTheContact()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>, <sip:alice@198.51.100.4>\nExpires: 600\n", cseq: 1);

        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 0\n", cseq: 2);

        Assert.Equal("sip:alice@198.51.100.4", Assert.Single(response.Contacts!).Address!.Uri.Raw);
    }

    [Fact]
    public async Task Unregister_ContactExpiresZero_RemovesOnlyThatContact()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>, <sip:alice@198.51.100.4>\nExpires: 600\n", cseq: 1);

        var response = await _h.RegisterAsync("Contact: <sip:alice@198.51.100.4>;expires=0\nExpires: 600\n", cseq: 2);

        Assert.Equal("sip:alice@192.0.2.10:5062", Assert.Single(response.Contacts!).Address!.Uri.Raw);
    }

    [Fact]
    public async Task Unregister_WildcardWithExpiresZero_RemovesEverything()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>, <sip:alice@198.51.100.4>\nExpires: 600\n", cseq: 1);

        var response = await _h.RegisterAsync("Contact: *\nExpires: 0\n", cseq: 2);

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(response.Contacts!);
        Assert.Empty(await _h.Store.GetBindingsAsync("alice@example.test", _h.Clock.Now));
    }

    [Theory]
    [InlineData("Contact: *\nExpires: 600\n")]
    [InlineData("Contact: *\n")]
    [InlineData("Contact: *, <sip:alice@192.0.2.10>\nExpires: 0\n")]
    public async Task Unregister_WildcardMisused_Gets400(string headers)
    {
        Assert.Equal(400, (await _h.RegisterAsync(headers)).StatusCode);
    }

    [Fact]
    public async Task Query_NoContact_ListsBindingsWithRemainingTime()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 600\n", cseq: 1);
        _h.Clock.Advance(TimeSpan.FromSeconds(100));

        var response = await _h.RegisterAsync(string.Empty, cseq: 2);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(500u, Assert.Single(response.Contacts!).Expires);
    }

    [Fact]
    public async Task Binding_PastItsExpiry_IsGoneFromQueries()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 60\n", cseq: 1);
        _h.Clock.Advance(TimeSpan.FromSeconds(61));

        var response = await _h.RegisterAsync(string.Empty, cseq: 2);

        Assert.Empty(response.Contacts!);
    }

    [Fact]
    public async Task ThirdParty_Permitted_Registers()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.99>\n", user: "alice", authenticatedUser: "carol");

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task ThirdParty_NotPermitted_Gets403()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.99>\n", user: "alice", authenticatedUser: "bob");

        Assert.Equal(403, response.StatusCode);
        Assert.Empty(await _h.Store.GetBindingsAsync("alice@example.test", _h.Clock.Now));
    }

    [Fact]
    public async Task Register_MalformedContact_Gets400NamingContact()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10;;>\n");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("Bad Contact", response.ReasonPhrase);
    }

    [Fact]
    public async Task Register_MalformedExpires_Gets400NamingExpires()
    {
        var response = await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10>\nExpires: soon\n");

        Assert.Equal("Bad Expires", response.ReasonPhrase);
    }

    [Fact]
    public async Task Register_ContactWithUnsupportedScheme_Gets416()
    {
        Assert.Equal(416, (await _h.RegisterAsync("Contact: <tel:+15551234567>\n")).StatusCode);
    }

    [Fact]
    public async Task Register_ToOutsideOurDomain_Gets404()
    {
        var request = RegistrarHarness.Parse(
            "REGISTER sip:example.test SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKx\nFrom: <sip:alice@elsewhere.test>;tag=1\n" +
            "To: <sip:alice@elsewhere.test>\nCall-ID: x\nCSeq: 1 REGISTER\nContact: <sip:alice@192.0.2.10>\nContent-Length: 0\n\n");

        Assert.Equal(404, (await _h.Registrar.RegisterAsync(request, "alice")).StatusCode);
    }

    [Fact]
    public async Task Register_UnknownUserOfOurDomain_Gets404()
    {
        Assert.Equal(404, (await _h.RegisterAsync("Contact: <sip:dave@192.0.2.10>\n", user: "dave", authenticatedUser: null)).StatusCode);
    }

    [Fact]
    public async Task Bindings_SurviveANewStoreOnTheSameFile()
    {
        await _h.RegisterAsync("Contact: <sip:alice@192.0.2.10:5062>\nExpires: 600\n");
        var reopened = new Storage.Sqlite.SqliteStore($"Data Source={_h.DatabasePath}");

        var binding = Assert.Single(await reopened.GetBindingsAsync("alice@example.test", _h.Clock.Now));

        Assert.Equal(_h.Clock.Now.AddSeconds(600), binding.ExpiresAt);
    }
}
