using System.Net;
using System.Text;
using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Security;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Core.Tests.Security;

/// <summary>The flood gate under a manual clock: bucket refill, separate method classes, bans and their lapse, exemptions, bounded tables.</summary>
public sealed class FloodGateTests
{
    private static readonly IPAddress Source = IPAddress.Parse("192.0.2.7");
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Invite_BurstThenRefillAtTheConfiguredRate()
    {
        var gate = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 2, Burst = 3 } });

        Assert.Equal([GateAction.Pass, GateAction.Pass, GateAction.Pass, GateAction.Drop], Send(gate, "INVITE", 4));
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal([GateAction.Drop], Send(gate, "INVITE", 1));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([GateAction.Pass, GateAction.Drop], Send(gate, "INVITE", 2));

        // Refill stops at the burst, however long the source was quiet.
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([GateAction.Pass, GateAction.Pass, GateAction.Pass, GateAction.Drop], Send(gate, "INVITE", 4));
    }

    [Fact]
    public void InviteAtItsLimit_AckByeAndRegisterStillPass()
    {
        var gate = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 1, Burst = 1 } });

        Assert.Equal([GateAction.Pass, GateAction.Drop], Send(gate, "INVITE", 2));

        Assert.Equal(GateAction.Pass, gate.Judge(Request("ACK"), Source).Action);
        Assert.Equal(GateAction.Pass, gate.Judge(Request("BYE"), Source).Action);
        Assert.Equal(GateAction.Pass, gate.Judge(Request("REGISTER"), Source).Action);
    }

    [Fact]
    public void RejectAction_Answers503WithTheConfiguredRetryAfter()
    {
        var gate = Gate(new FloodOptions { Other = new() { PermitsPerSecond = 1, Burst = 1 }, Action = "reject", RetryAfterSeconds = 17 });

        gate.Judge(Request("OPTIONS"), Source);

        Assert.Equal(new GateVerdict(GateAction.Busy, 17), gate.Judge(Request("OPTIONS"), Source));
    }

    [Fact]
    public void RepeatedRejections_BanTheSource_UntilTheBanLapses()
    {
        var bans = new SourceBanList(_time, 100);
        var gate = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 1, Burst = 1 }, BanAfterRejections = 5, BanWindow = TimeSpan.FromSeconds(10), BanDuration = TimeSpan.FromMinutes(2) }, bans: bans);

        Send(gate, "INVITE", 5);
        Assert.True(gate.Admits(Source));
        Send(gate, "INVITE", 1);

        Assert.False(gate.Admits(Source));
        Assert.True(gate.Admits(IPAddress.Parse("192.0.2.8")));
        var ban = Assert.Single(bans.Current());
        Assert.Equal((Source, _time.Now + TimeSpan.FromMinutes(2), FloodGate.FloodReason), (ban.Source, ban.Until, ban.Reason));

        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromTicks(1));
        Assert.False(gate.Admits(Source));
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(gate.Admits(Source));
        Assert.Empty(bans.Current());
    }

    [Fact]
    public void RejectionsSpreadBeyondTheWindow_DoNotBan()
    {
        var gate = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 0.001, Burst = 1 }, BanAfterRejections = 3, BanWindow = TimeSpan.FromSeconds(1) });
        Send(gate, "INVITE", 1);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal([GateAction.Drop, GateAction.Drop], Send(gate, "INVITE", 2));
            _time.Advance(TimeSpan.FromSeconds(1.5));
        }

        Assert.True(gate.Admits(Source));
    }

    [Fact]
    public void TrustedAndExemptSources_AreNeverLimited()
    {
        var gate = Gate(
            new FloodOptions { Invite = new() { PermitsPerSecond = 1, Burst = 1 }, Exempt = ["198.51.100.0/24"] },
            trusted: ["192.0.2.7/32"]);

        Assert.All(Send(gate, "INVITE", 500), a => Assert.Equal(GateAction.Pass, a));
        Assert.All(Enumerable.Range(0, 500).Select(_ => gate.Judge(Request("INVITE"), IPAddress.Parse("198.51.100.9")).Action), a => Assert.Equal(GateAction.Pass, a));
        Assert.Equal([GateAction.Pass, GateAction.Drop], Enumerable.Range(0, 2).Select(_ => gate.Judge(Request("INVITE"), IPAddress.Parse("198.51.101.9")).Action));
    }

    [Fact]
    public void ScannerUserAgent_IsDropped_AndBannedWhenSoConfigured()
    {
        var bans = new SourceBanList(_time, 100);
        var gate = Gate(new FloodOptions(), new ScannerOptions { Ban = true }, bans: bans);

        Assert.Equal(GateAction.Pass, gate.Judge(Request("OPTIONS", "Linphone/5.2"), Source).Action);
        Assert.Equal(GateAction.Drop, gate.Judge(Request("OPTIONS", "friendly-scanner"), Source).Action);
        Assert.Equal(FloodGate.ScannerReason, Assert.Single(bans.Current()).Reason);
        Assert.False(gate.Admits(Source));
        Assert.Equal(GateAction.Drop, gate.Judge(Request("REGISTER", "SIPVicious 0.3.4"), IPAddress.Parse("192.0.2.9")).Action);
    }

    [Fact]
    public void ScannerDropOff_OrOwnList_DecidesWhatIsAScanner()
    {
        var off = Gate(new FloodOptions(), new ScannerOptions { Drop = false });
        var own = Gate(new FloodOptions(), new ScannerOptions { UserAgents = ["evil-tool"] });

        Assert.Equal(GateAction.Pass, off.Judge(Request("OPTIONS", "friendly-scanner"), Source).Action);
        Assert.Equal(GateAction.Pass, own.Judge(Request("OPTIONS", "friendly-scanner"), Source).Action);
        Assert.Equal(GateAction.Drop, own.Judge(Request("OPTIONS", "My EVIL-TOOL 1.0"), Source).Action);
    }

    [Fact]
    public void SpoofedSources_DoNotGrowTheTable_AndARecentlyLimitedSourceStaysLimited()
    {
        var gate = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 0.01, Burst = 1 }, MaxSources = 100 });
        Send(gate, "INVITE", 1);

        for (var i = 0; i < 5000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            gate.Judge(Request("INVITE"), new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]));
            if (i % 10 == 0)
            {
                Assert.Equal(GateAction.Drop, gate.Judge(Request("INVITE"), Source).Action);
            }

            Assert.True(gate.TrackedSources <= 100, $"{gate.TrackedSources} sources tracked");
        }
    }

    [Fact]
    public void IdleSources_AreForgotten_BeforeActiveOnes()
    {
        var gate = Gate(new FloodOptions { Invite = new() { PermitsPerSecond = 1, Burst = 5 }, MaxSources = 100 });
        for (var i = 0; i < 100; i++)
        {
            gate.Judge(Request("INVITE"), new IPAddress([10, 0, 0, (byte)i]));
        }

        _time.Advance(TimeSpan.FromSeconds(11));
        gate.Judge(Request("INVITE"), Source);

        Assert.Equal(1, gate.TrackedSources);
    }

    [Fact]
    public void BanList_IsBounded_AndKeepsTheLongestBans()
    {
        var bans = new SourceBanList(_time, 10);
        for (var i = 0; i < 50; i++)
        {
            bans.Ban(new IPAddress([10, 0, 0, (byte)i]), TimeSpan.FromMinutes(1 + i), "flood");
            Assert.True(bans.Count <= 10);
        }

        Assert.True(bans.IsBanned(new IPAddress([10, 0, 0, 49])));
        Assert.False(bans.IsBanned(new IPAddress([10, 0, 0, 0])));
    }

    private FloodGate Gate(FloodOptions flood, ScannerOptions? scanners = null, SourceBanList? bans = null, string[]? trusted = null) =>
        new(flood, scanners ?? new ScannerOptions(), new TrustedSources(trusted ?? []), bans ?? new SourceBanList(_time, flood.MaxSources), _time);

    private static GateAction[] Send(FloodGate gate, string method, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => gate.Judge(Request(method), Source).Action)];

    private static SipMessage Request(string method, string? userAgent = null) => SipParser.Parse(Encoding.ASCII.GetBytes(
        $"{method} sip:bob@example.test SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKflood\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: <sip:alice@example.test>;tag=a\r\n" +
        "To: <sip:bob@example.test>\r\n" +
        "Call-ID: flood-test\r\n" +
        $"CSeq: 1 {method}\r\n" +
        (userAgent is null ? string.Empty : $"User-Agent: {userAgent}\r\n") +
        "Content-Length: 0\r\n\r\n"), out _)!;
}
