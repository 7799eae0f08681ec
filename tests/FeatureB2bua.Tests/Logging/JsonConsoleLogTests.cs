using System.Net;
using System.Text.Json;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Logging;

/// <summary>
/// The server's console in JSON (<c>Logging:Console:FormatterName=json</c>), read as a log shipper reads it: one JSON
/// object per line, a call's correlation id among the line's scopes, the summary's fields in its state.
/// </summary>
public sealed class JsonConsoleLogTests
{
    [Fact]
    public async Task JsonConsole_ACallsSummaryIsOneLineWithItsCallIdsInScopesAndItsFieldsInState()
    {
        var work = Directory.CreateTempSubdirectory("json-log-");
        var provisioning = Path.Combine(work.FullName, "subscribers.json");
        await File.WriteAllTextAsync(provisioning, """{ "subscribers": [] }""");
        using var callee = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        var port = ServerProcess.FreeUdpPort();
        using var server = await ServerProcess.StartAsync(
            port,
            "--Logging:Console:FormatterName=json",
            "--Logging:LogLevel:FeatureB2bua=Information",
            $"--Storage:ConnectionString=Data Source={Path.Combine(work.FullName, "b2bua.db")}",
            $"--Provisioning:File={provisioning}",
            "--Routing:Trusted:0=127.0.0.0/8",
            "--Routing:Routes:0:Pattern=^bob$",
            $"--Routing:Routes:0:Targets:0=sip:127.0.0.1:{callee.LocalEndPoint.Port}",
            "--Routing:Probe:Interval=00:00:00");
        callee.Server = new IPEndPoint(IPAddress.Loopback, port);
        using var caller = new UdpSipClient(callee.Server);
        var callId = "json-" + Guid.NewGuid().ToString("N");

        caller.Send(SipText.Request("INVITE", callId: callId, via: caller.LocalEndPoint.ToString(), extraHeaders: $"Contact: <sip:alice@{caller.LocalEndPoint}>\n"));
        var bInvite = await CallHarness.NextRequestAsync(callee, "INVITE");
        CallHarness.Responds(callee, bInvite, 486, "Busy Here");
        await CallHarness.NextResponseAsync(caller, 486);

        var summary = await SummaryLineAsync(server, callId);
        Assert.Equal("Information", summary.GetProperty("LogLevel").GetString());
        Assert.Equal("FeatureB2bua.Core.Calls.Call", summary.GetProperty("Category").GetString());
        var state = summary.GetProperty("State");
        Assert.Equal("busy", state.GetProperty("Result").GetString());
        Assert.Equal(486, state.GetProperty("FinalStatus").GetInt32());
        Assert.Equal(bInvite.RequestUri!.Raw, state.GetProperty("Target").GetString());
        var scope = Assert.Single(summary.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("CallId", out _));
        Assert.Equal(callId, scope.GetProperty("CallId").GetString());
        Assert.Equal(bInvite.CallId, scope.GetProperty("BCallId").GetString());
        work.Delete(recursive: true);
    }

    /// <summary>The JSON line of the summary (event 4007) whose scopes name <paramref name="callId"/>; every line read on the way must be JSON.</summary>
    private static async Task<JsonElement> SummaryLineAsync(ServerProcess server, string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            foreach (var line in server.Output)
            {
                var entry = JsonDocument.Parse(line).RootElement;
                if (entry.GetProperty("EventId").GetInt32() == 4007 && entry.TryGetProperty("Scopes", out var scopes)
                    && scopes.EnumerateArray().Any(s => s.TryGetProperty("CallId", out var id) && id.GetString() == callId))
                {
                    return entry;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, "no summary line for the call in:\n" + string.Join('\n', server.Output));
            await Task.Delay(50);
        }
    }
}
