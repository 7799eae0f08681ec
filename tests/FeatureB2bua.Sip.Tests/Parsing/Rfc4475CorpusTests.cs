using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Sip.Tests.Parsing;

/// <summary>Every RFC 4475 torture message gets the verdict its MANIFEST gives.</summary>
public sealed class Rfc4475CorpusTests
{
    /// <summary>
    /// Invalid messages the RFC lets a lenient element accept, and which we accept: a Date in the wrong
    /// zone does not matter to a B2BUA that never reads Date (RFC 4475 §3.1.2.12).
    /// </summary>
    private static readonly HashSet<string> AcceptedLeniently = ["baddate"];

    /// <summary>Well formed but refused one level up: an unknown method gets 501 there, which RFC 4475 §3.1.2.18 prefers to 400.</summary>
    private static readonly HashSet<string> RefusedByTransactionUser = ["mismatch02"];

    public static TheoryData<string, string, string> Messages()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Corpus.Manifest("rfc4475"))
        {
            data.Add(row[0], row[2], row[5]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Judge_TortureMessage_GetsManifestVerdict(string name, string expected, string lenientOk)
    {
        var (message, verdict) = Corpus.Judge(Corpus.Read("rfc4475", name + ".dat"));

        if (RefusedByTransactionUser.Contains(name))
        {
            Assert.False(verdict.IsRejected);
            Assert.Equal(SipMethod.Unknown, message!.Method);
        }
        else if (expected == "invalid-should-reject" && !AcceptedLeniently.Contains(name))
        {
            Assert.True(verdict.IsRejected, $"{name} should be refused");
        }
        else
        {
            Assert.True(lenientOk == "yes" || expected != "invalid-should-reject", name);
            Assert.False(verdict.IsRejected, $"{name}: {verdict.ReasonPhrase}");
            Assert.NotNull(message);
        }
    }

    [Fact]
    public void Manifest_EveryFile_MatchesItsRecordedSize()
    {
        foreach (var row in Corpus.Manifest("rfc4475"))
        {
            Assert.Equal(int.Parse(row[6]), Corpus.Read("rfc4475", row[0] + ".dat").Length);
        }
    }

    [Fact]
    public void Wsinv_FoldedAndSpacedHeaders_ReadCorrectly()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "wsinv.dat"));
        Assert.NotNull(m);
        Assert.Equal(SipMethod.Invite, m.Method);
        Assert.Equal("sip:vivekg@chair-dnrc.example.com;unknownparam", m.RequestUri!.Raw);
        Assert.Equal("1918181833n", m.To!.Tag);
        Assert.Equal("98asjd8", m.From!.Tag);
        Assert.Equal("\"J Rosenberg \\\\\\\"\"", m.From.DisplayName);
        Assert.Equal(68, m.MaxForwards);
        Assert.Equal(9u, m.CSeq!.Number);
        Assert.Equal(SipMethod.Invite, m.CSeq.Method);
        Assert.Equal(150, m.Body.Length);
        var vias = m.Vias!;
        Assert.Equal(3, vias.Count);
        Assert.Equal("UDP", vias[0].Transport);
        Assert.Equal("192.0.2.2", vias[0].Host);
        Assert.Equal("390skdjuw", vias[0].Branch);
        Assert.False(vias[0].IsRfc3261Branch);
        Assert.Equal("TCP", vias[1].Transport);
        Assert.Equal("spindle.example.com", vias[1].Host);
        Assert.Equal("z9hG4bK9ikj8", vias[1].Branch);
        Assert.Equal("z9hG4bK30239", vias[2].Branch);
        var contact = Assert.Single(m.Contacts!);
        Assert.Equal(330, contact.Q);
        Assert.Equal("newvalue", contact.Address!.Parameters[0].Value);
        Assert.Equal("sip:services.example.com;lr;unknownwith=value;unknown-no-value", Assert.Single(m.Routes!).Uri.Raw);
        Assert.True(m.Routes![0].Uri.IsLooseRouter);
        Assert.Equal("newfangled value\r\n continued newfangled value", m.GetHeader("NewFangledHeader"));
        Assert.Equal(string.Empty, m.GetHeader(HeaderId.Subject));
    }

    [Fact]
    public void Intmeth_UnusualTokens_KeptExactly()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "intmeth.dat"));
        Assert.NotNull(m);
        Assert.Equal(SipMethod.Unknown, m.Method);
        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", m.MethodName);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", m.RequestUri!.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", m.RequestUri.Password);
        Assert.Equal("example.com", m.RequestUri.Host);
        Assert.Equal("z9hG4bK-.!%66*_+`'~", m.TopVia!.Branch);
        Assert.Equal("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", m.CallId);
        Assert.Equal("_token~1'+`*%!-.", m.From!.Tag);
        Assert.Equal("token1~` token2'+_ token3*%!.-", m.From.DisplayName);
        Assert.Equal(139122385u, m.CSeq!.Number);
        Assert.Equal(255, m.MaxForwards);
    }

    [Fact]
    public void Esc02_PercentInMethodAndHeaderName_IsNotDecoded()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "esc02.dat"));
        Assert.Equal(SipMethod.Unknown, m!.Method);
        Assert.Equal(2, m.Contacts!.Count);
        Assert.Equal("<sip:alias2@host2.example.com>", m.GetHeader("C%6Fntact"));
    }

    [Fact]
    public void Escnull_EscapedNulContacts_StayDistinctAndWhole()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "escnull.dat"));
        var contacts = m!.Contacts!;
        Assert.Equal(2, contacts.Count);
        Assert.NotEqual(contacts[0].Address!.Uri.User, contacts[1].Address!.Uri.User);
        Assert.Contains("%00", contacts[0].Address!.Uri.User, StringComparison.Ordinal);
    }

    [Fact]
    public void Semiuri_SemicolonInUserPart_BelongsToUser()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "semiuri.dat"));
        Assert.Equal("user;par=u%40example.net", m!.RequestUri!.User);
        Assert.Empty(m.RequestUri.Parameters);
    }

    [Fact]
    public void Dblreq_TrailingOctets_AreIgnored()
    {
        var (m, verdict) = Corpus.Judge(Corpus.Read("rfc4475", "dblreq.dat"));
        Assert.False(verdict.IsRejected);
        Assert.Equal(SipMethod.Register, m!.Method);
        Assert.Equal(0, m.Body.Length);
    }

    [Fact]
    public void Inv2543_NoContentLength_BodyRunsToEndOfDatagram()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "inv2543.dat"));
        Assert.Equal(105, m!.Body.Length);
        Assert.Null(m.TopVia!.Branch);
        Assert.Null(m.From!.Tag);
        Assert.Equal(-1, m.MaxForwards);
    }

    [Fact]
    public void Mpart01_BinaryBody_FramedByContentLength()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "mpart01.dat"));
        Assert.Equal(553, m!.Body.Length);
        Assert.Contains((byte)0, m.Body.ToArray());
    }

    [Fact]
    public void Noreason_EmptyReasonPhrase_Accepted()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "noreason.dat"));
        Assert.True(m!.IsResponse);
        Assert.Equal(100, m.StatusCode);
        Assert.Equal(string.Empty, m.ReasonPhrase);
    }

    [Fact]
    public void Unreason_Utf8ReasonPhrase_Kept()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "unreason.dat"));
        Assert.Equal(200, m!.StatusCode);
        Assert.False(string.IsNullOrEmpty(m.ReasonPhrase));
    }

    [Fact]
    public void Transports_EveryViaTransportToken_Read()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "transports.dat"));
        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], m!.Vias!.Select(v => v.Transport));
    }

    [Fact]
    public void Cparam01_ParamWithoutBrackets_IsContactParam()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "cparam01.dat"));
        var contact = Assert.Single(m!.Contacts!);
        Assert.Empty(contact.Address!.Uri.Parameters);
        Assert.Equal("unknownparam", Assert.Single(contact.Address.Parameters).Name);
    }

    [Fact]
    public void Cparam02_ParamInsideBrackets_IsUriParam()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "cparam02.dat"));
        var contact = Assert.Single(m!.Contacts!);
        Assert.Equal("unknownparam", Assert.Single(contact.Address!.Uri.Parameters).Name);
    }

    [Fact]
    public void Regescrt_EscapedRouteHeaderInContact_KeptIntact()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "regescrt.dat"));
        Assert.Equal("Route=%3Csip:sip.example.com%3E", Assert.Single(m!.Contacts!).Address!.Uri.Headers);
    }

    [Fact]
    public void Unksm2_NonSipSchemes_ParsedWhole()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "unksm2.dat"));
        Assert.Equal("isbn", m!.To!.Uri.Scheme);
        Assert.Equal("http", m.From!.Uri.Scheme);
        Assert.False(m.To.Uri.IsSip);
    }

    [Fact]
    public void Longreq_ManyVias_AllRead()
    {
        var (m, _) = Corpus.Judge(Corpus.Read("rfc4475", "longreq.dat"));
        Assert.True(m!.Vias!.Count >= 30);
    }

    [Theory]
    [InlineData("badvers", 505, "Version Not Supported")]
    [InlineData("mismatch01", 400, "CSeq Method Mismatch")]
    [InlineData("insuf", 400, "Missing From")]
    [InlineData("multi01", 400, "Duplicate CSeq")]
    [InlineData("quotbal", 400, "Bad To")]
    [InlineData("scalar02", 400, "Bad CSeq")]
    [InlineData("badinv01", 400, "Bad Via")]
    [InlineData("clerr", 400, "Body Shorter Than Content-Length")]
    [InlineData("ncl", 400, "Bad Content-Length")]
    [InlineData("mcl01", 400, "Bad Content-Length")]
    [InlineData("ltgtruri", 400, "Bad Request-URI")]
    [InlineData("escruri", 400, "Bad Request-URI")]
    [InlineData("lwsruri", 400, "Bad Request-Line")]
    [InlineData("regbadct", 400, "Bad Contact")]
    [InlineData("badaspec", 400, "Bad To")]
    public void Judge_InvalidRequest_NamesTheFault(string name, int status, string reason)
    {
        var (_, verdict) = Corpus.Judge(Corpus.Read("rfc4475", name + ".dat"));
        Assert.Equal(status, verdict.StatusCode);
        Assert.Equal(reason, verdict.ReasonPhrase);
    }
}
