using System.Net;
using System.Text.Json;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Logging;

/// <summary>
/// The server's console as an operator or a log shipper reads it, from the server run as its own process with a busy
/// call placed: single-line text with the call's scope by default, and one JSON object per line with
/// <c>Logging:Console:FormatterName=json</c>, the correlation id among the scopes and the summary's fields in its state.
/// </summary>
public sealed class ConsoleLogTests
{
    [Fact]
    public async Task TextConsole_ACallsSummaryIsOneTimestampedLineWithItsCallIds()
    {
        var (lines, callId, bInvite) = await BusyCallAsync();

        var summary = Assert.Single(lines, line => line.Contains("[4007]", StringComparison.Ordinal) && line.Contains($"CallId={callId} ", StringComparison.Ordinal));
        Assert.Contains($"BCallId={bInvite.CallId} ", summary, StringComparison.Ordinal);
        Assert.Contains("call ended: result=busy ", summary, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: FeatureB2bua\.Core\.Calls\.Call\[4007\]", summary);
    }

    [Fact]
    public async Task JsonConsole_ACallsSummaryIsOneLineWithItsCallIdsInScopesAndItsFieldsInState()
    {
        var (lines, callId, bInvite) = await BusyCallAsync("--Logging:Console:FormatterName=json");

        // Every line is a JSON object of its own.
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var summary = Assert.Single(entries, e => e.GetProperty("EventId").GetInt32() == 4007);
        Assert.Equal("Information", summary.GetProperty("LogLevel").GetString());
        Assert.Equal("FeatureB2bua.Core.Calls.Call", summary.GetProperty("Category").GetString());
        var state = summary.GetProperty("State");
        Assert.Equal("busy", state.GetProperty("Result").GetString());
        Assert.Equal(486, state.GetProperty("FinalStatus").GetInt32());
        Assert.Equal(bInvite.RequestUri!.Raw, state.GetProperty("Target").GetString());
        var scope = Assert.Single(summary.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("CallId", out _));
        Assert.Equal(callId, scope.GetProperty("CallId").GetString());
        Assert.Equal(bInvite.CallId, scope.GetProperty("BCallId").GetString());
    }

    /// <summary>The server as a process with <paramref name="settings"/> and a call to bob answered 486: what it wrote to standard output up to the call's summary.</summary>
    private static async Task<(IReadOnlyList<string> Lines, string CallId, SipMessage BInvite)> BusyCallAsync(params string[] settings)
    {
        var work = Directory.CreateTempSubdirectory("console-log-");
        var provisioning = Path.Combine(work.FullName, "subscribers.json");
        await File.WriteAllTextAsync(provisioning, """{ "subscribers": [] }""");
        using var callee = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        var port = ServerProcess.FreeUdpPort();
        var server = await ServerProcess.StartAsync(
            port,
            [
                "--Logging:LogLevel:FeatureB2bua=Information",
                $"--Storage:ConnectionString=Data Source={Path.Combine(work.FullName, "b2bua.db")}",
                $"--Provisioning:File={provisioning}",
                "--Routing:Trusted:0=127.0.0.0/8",
                "--Routing:Routes:0:Pattern=^bob$",
                $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{callee.LocalEndPoint.Port}",
                "--Routing:Probe:Interval=00:00:00",
                .. settings,
            ]);
        try
        {
            callee.Server = new IPEndPoint(IPAddress.Loopback, port);
            using var caller = new UdpSipClient(callee.Server);
            var callId = "console-" + Guid.NewGuid().ToString("N");
            caller.Send(SipText.Request("INVITE", callId: callId, via: caller.LocalEndPoint.ToString(), extraHeaders: $"Contact: <sip:alice@{caller.LocalEndPoint}>\n"));
            var bInvite = await CallHarness.NextRequestAsync(callee, "INVITE");
            CallHarness.Responds(callee, bInvite, 486, "Busy Here");
            await CallHarness.NextResponseAsync(caller, 486);

            // The summary is written as the caller gets its 486; standard output may bring it a moment later.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (!server.Output.Any(l => l.Contains("[4007]", StringComparison.Ordinal) || l.Contains("\"EventId\":4007", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            return (server.Output, callId, bInvite);
        }
        finally
        {
            server.Dispose();
            work.Delete(recursive: true);
        }
    }
}
