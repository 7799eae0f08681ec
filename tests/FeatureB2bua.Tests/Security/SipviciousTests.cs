using System.Globalization;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Interop;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Security;

/// <summary>
/// The Debian sipvicious tools against the server on loopback, with the scanner User-Agent drop off
/// (<c>Security:Scanners:Drop=false</c>) so they meet the authentication layer itself. In the load collection: alone,
/// never beside timing-sensitive tests.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class SipviciousTests
{
    private const string Domain = "example.test";
    private const int MaxFailures = 5;
    private static readonly string[] Extensions = ["alice", "zelda", "bob", "1001", "carol", "100"];

    // svwar first asks for a random number to learn the answer for a missing extension, then reports every extension
    // whose status line differs from it. A 401/403/407 for the random number stops it unless --force; with --force,
    // an answer equal to it is "unknown" and ends the scan, so each run tests its first extension (OPTIONS, answered
    // 200 whoever is asked, goes through the whole list). Each provisioned user gets a run where it comes first.
    [RequiresPeerFact("svwar", "sipvicious")]
    public async Task Svwar_Register_CannotTellExistingFromMissing()
    {
        foreach (var first in new[] { "alice", "bob", "carol" })
        {
            await ScanAsync("REGISTER", first, expectAnswersFor: [first]);
        }
    }

    [RequiresPeerFact("svwar", "sipvicious")]
    public async Task Svwar_Invite_CannotTellExistingFromMissing()
    {
        foreach (var first in new[] { "alice", "bob", "carol" })
        {
            await ScanAsync("INVITE", first, expectAnswersFor: [first]);
        }
    }

    [RequiresPeerFact("svwar", "sipvicious")]
    public Task Svwar_Options_CannotTellExistingFromMissing() =>
        ScanAsync("OPTIONS", "alice", expectAnswersFor: Extensions);

    // The fixture exempts 127.0.0.1 (where svwar speaks from) from the flood gate, and exempt sources skip the scanner
    // check too; here the exemption is moved elsewhere so the defaults apply.
    [RequiresPeerFact("svwar", "sipvicious")]
    public async Task Svwar_WithTheDefaultScannerDrop_GetsNoAnswerAtAll()
    {
        await using var server = await ServerFixture.StartAsync("--Security:Flood:Exempt:0=127.0.0.9/32");
        var (_, output) = await RunSvwarAsync(server, "REGISTER", ["alice", "zelda"], force: false);
        var metrics = PrometheusExposition.Parse(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        Assert.DoesNotContain("b'SIP/2.0", output, StringComparison.Ordinal);
        Assert.Contains("found nothing", output, StringComparison.Ordinal);
        Assert.True(metrics.Value("b2bua_scanner_dropped_total") >= 1, output);
    }

    // svcrack ignores a 403 (neither a result nor a new challenge) and keeps sending, so it is stopped after a while;
    // what counts is the server's side: how many guesses it judged before the ban, and that none got through.
    [RequiresPeerFact("svcrack", "sipvicious")]
    public async Task Svcrack_FiftyWrongPasswords_IsBannedWithinMaxFailures()
    {
        var (output, metrics) = await CrackAsync(Words(rightAt: null));

        Assert.DoesNotContain("The password for alice is", output, StringComparison.Ordinal);
        Assert.Equal(MaxFailures, metrics.Value("b2bua_auth_failures_total"));
        Assert.Equal(1, metrics.Value("b2bua_auth_bans_total"));
    }

    [RequiresPeerFact("svcrack", "sipvicious")]
    public async Task Svcrack_RightPasswordAfterTheThreshold_IsNeverAccepted()
    {
        var (output, metrics) = await CrackAsync(Words(rightAt: MaxFailures * 2));

        Assert.DoesNotContain("The password for alice is", output, StringComparison.Ordinal);
        Assert.DoesNotContain("cracked users", output, StringComparison.Ordinal);
        Assert.Equal(MaxFailures, metrics.Value("b2bua_auth_failures_total"));
        Assert.Equal(1, metrics.Value("b2bua_auth_bans_total"));
        Assert.Equal(0, metrics.Value("b2bua_register_total", ("result", "registered")) ?? 0);
    }

    /// <summary>The control: the same run with the right password before the threshold cracks it, so the two above fail for the ban alone.</summary>
    [RequiresPeerFact("svcrack", "sipvicious")]
    public async Task Svcrack_RightPasswordBeforeTheThreshold_Cracks()
    {
        var (output, _) = await CrackAsync(Words(rightAt: 2));

        Assert.Contains("The password for alice is alice-demo-pw", output, StringComparison.Ordinal);
    }

    private static async Task ScanAsync(string method, string first, string[] expectAnswersFor)
    {
        await using var server = await ServerFixture.StartAsync("--Security:Scanners:Drop=false");
        string[] dictionary = [first, .. Extensions.Where(u => u != first)];

        var (exit, output) = await RunSvwarAsync(server, method, dictionary, force: true);

        Assert.True(exit == 0, $"svwar exited {exit}: {output}");
        foreach (var extension in expectAnswersFor)
        {
            // --debug prints every datagram svwar reads; its From carries the extension asked for.
            Assert.True(
                output.Split('\n').Any(l => l.StartsWith("b'SIP/2.0", StringComparison.Ordinal) && l.Contains($"From: \"{extension}\"<sip:{extension}@{Domain}>", StringComparison.Ordinal)),
                $"svwar {method} got no answer for {extension}: {output}");
        }

        Assert.DoesNotContain("exists", output, StringComparison.Ordinal);
        Assert.Contains("WARNING:root:found nothing", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunSvwarAsync(ServerFixture server, string method, string[] dictionary, bool force)
    {
        var work = Directory.CreateTempSubdirectory("svwar-");
        var words = Path.Combine(work.FullName, "extensions.txt");
        await File.WriteAllLinesAsync(words, dictionary);
        string[] arguments =
        [
            .. force ? ["--force"] : Array.Empty<string>(), "-m", method, "-d", words, "--domain", Domain, "-x", "127.0.0.1", "-P", "0",
            "-p", server.UdpEndPoint.Port.ToString(CultureInfo.InvariantCulture), "-vvv", "--debug", "127.0.0.1",
        ];
        return await PeerProgram.RunAsync("svwar", arguments, work.FullName, TimeSpan.FromSeconds(40));
    }

    /// <summary>svcrack against alice on a server of its own (bans are per server), MD5 offered first: svcrack computes nothing else.</summary>
    private static async Task<(string Output, PrometheusExposition Metrics)> CrackAsync(IEnumerable<string> passwords)
    {
        await using var server = await ServerFixture.StartAsync(
            "--Security:Scanners:Drop=false", $"--Auth:MaxFailures={MaxFailures}", "--Auth:Algorithms:0=Md5");
        var work = Directory.CreateTempSubdirectory("svcrack-");
        var list = Path.Combine(work.FullName, "passwords.txt");
        await File.WriteAllLinesAsync(list, passwords);

        var (_, output) = await PeerProgram.RunAsync(
            "svcrack",
            [
                "-u", "alice", "-d", list, "--domain", Domain, "-x", "127.0.0.1", "-P", "0",
                "-p", server.UdpEndPoint.Port.ToString(CultureInfo.InvariantCulture), "-vv", "127.0.0.1",
            ],
            work.FullName,
            TimeSpan.FromSeconds(12));
        var metrics = PrometheusExposition.Parse(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        return (output, metrics);
    }

    /// <summary>Fifty guesses; the right one (alice's demo password) at index <paramref name="rightAt"/>, or nowhere.</summary>
    private static List<string> Words(int? rightAt)
    {
        var words = Enumerable.Range(0, 50).Select(i => $"guess{i:D2}").ToList();
        if (rightAt is { } index)
        {
            words[index] = "alice-demo-pw";
        }

        return words;
    }
}
