using System.Net;
using FeatureB2bua.Cli;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Storage.Sqlite;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace FeatureB2bua.Tests.Administration;

/// <summary><c>calls close-node</c> against a store whose journal holds a dead node's calls and a living node's, with real phones on loopback.</summary>
public sealed class CloseNodeCliTests : IDisposable
{
    private static readonly DateTimeOffset Setup = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cli-close-node-");
    private readonly UdpSipClient _caller = new(new IPEndPoint(IPAddress.Loopback, 9));
    private readonly UdpSipClient _callee = new(new IPEndPoint(IPAddress.Loopback, 9));
    private readonly UdpSipClient _otherPhone = new(new IPEndPoint(IPAddress.Loopback, 9));

    private string ConnectionString => $"Data Source={Path.Combine(_work.FullName, "b2bua.db")}";

    public void Dispose()
    {
        _caller.Dispose();
        _callee.Dispose();
        _otherPhone.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task CloseNode_ClosesThatNodesCalls_ByesTheirLegs_AndLeavesOtherNodesCalls()
    {
        using (var store = new SqliteStore(ConnectionString))
        {
            await store.RecordAsync(
                [
                    Open("answered@dead", "dead", Leg("A", "answered@dead", _caller, 1), Leg("B", "b-leg@dead", _callee, 2)),
                    Open("ringing@dead", "dead"),
                    Open("up@alive", "alive", Leg("A", "up@alive", _otherPhone, 1)),
                ],
                []);
        }

        var run = RunAsync("calls", "close-node", "dead");
        var toCaller = await CallHarness.NextRequestAsync(_caller, "BYE", 10_000);
        var toCallee = await CallHarness.NextRequestAsync(_callee, "BYE");
        Answer(_caller, toCaller, 200, "OK");
        Answer(_callee, toCallee, 481, "Call/Transaction Does Not Exist");
        var (exit, output) = await run;

        Assert.Equal(0, exit);
        Assert.Equal(("answered@dead", "1 BYE", "ours-A", "peer-A"), (toCaller.CallId, toCaller.GetHeader(Sip.Messages.HeaderId.CSeq), toCaller.From!.Tag, toCaller.To!.Tag));
        Assert.Equal(("b-leg@dead", "2 BYE", "ours-B", "peer-B"), (toCallee.CallId, toCallee.GetHeader(Sip.Messages.HeaderId.CSeq), toCallee.From!.Tag, toCallee.To!.Tag));
        Assert.Equal($"sip:A@{_caller.LocalEndPoint}", toCaller.RequestUri!.Raw);
        Assert.StartsWith("127.0.0.1:", toCaller.TopVia!.SentBy, StringComparison.Ordinal);
        Assert.NotEqual("127.0.0.1:5099", toCaller.TopVia.SentBy);
        Assert.Contains("closed 2 calls of node dead", output, StringComparison.Ordinal);
        Assert.Contains("answered@dead: BYE ended, gone", output, StringComparison.Ordinal);
        Assert.Contains("ringing@dead: not answered, no dialog to hang up", output, StringComparison.Ordinal);
        Assert.Contains("sent 2 BYEs: 1 ended, 1 gone", output, StringComparison.Ordinal);
        Assert.Null(await _otherPhone.ReceiveAsync(200));

        using var after = new SqliteStore(ConnectionString);
        var cdrs = await after.ListRecentAsync(10);
        Assert.Equal(["answered@dead", "ringing@dead"], cdrs.Select(c => c.CallId).Order());
        Assert.All(cdrs, c => Assert.Equal(OpenCall.InterruptedResult, c.Result));
        Assert.Equal((200, 0), (cdrs.Single(c => c.CallId == "answered@dead").FinalStatus, cdrs.Single(c => c.CallId == "ringing@dead").FinalStatus));

        var (_, again) = await RunAsync("calls", "close-node", "dead");
        Assert.Contains("closed 0 calls of node dead", again, StringComparison.Ordinal);
    }

    private static OpenCall Open(string callId, string node, params LegDialog[] legs) =>
        new(callId, "sip:alice@example.test", "sip:bob@example.test", Setup, legs.Length > 0 ? Setup : null, Setup)
        {
            Node = node,
            Legs = legs.Length > 0 ? new CallLegs(legs).ToJson() : null,
        };

    private static LegDialog Leg(string name, string callId, UdpSipClient phone, uint nextCSeq) => new(
        name, callId, "ours-" + name, "peer-" + name, "<sip:b2bua@example.test>", "<sip:phone@example.test>",
        $"sip:{name}@{phone.LocalEndPoint}", [], nextCSeq, "udp", phone.LocalEndPoint.ToString());

    /// <summary>The phone answers where the BYE's Via says: the CLI's own port.</summary>
    private static void Answer(UdpSipClient phone, Sip.Messages.SipMessage bye, int status, string reason)
    {
        phone.Server = IPEndPoint.Parse(bye.TopVia!.SentBy);
        CallHarness.Responds(phone, bye, status, reason, toTag: null);
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = ConnectionString,
            ["Sip:Domain"] = "example.test",
            ["Sip:Listen:0"] = "udp:127.0.0.1:5099",
        }).Build();
        using var output = new StringWriter();
        var exit = await AdminCli.RunAsync(args, output, configuration);
        return (exit, output.ToString());
    }
}
