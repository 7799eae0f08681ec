using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Features;

namespace FeatureB2bua.Tests.Console;

/// <summary>The SIP trace of a call over HTTP: every message of both legs in order, as JSON and as text.</summary>
public sealed class ConsoleTraceTests
{
    private static readonly string[] ALeg =
        ["in INVITE (1 INVITE)", "out 100 Trying (1 INVITE)", "out 180 Ringing (1 INVITE)", "out 200 OK (1 INVITE)", "in ACK (1 ACK)", "in BYE (2 BYE)", "out 200 OK (2 BYE)"];

    [Fact]
    public async Task AnAnsweredCall_ListsInvite100180200AckBye200_OnBothLegs_WithTheirDirections()
    {
        await using var h = await CallHarness.StartAsync();
        await PlaceRingingCallAsync(h, "Proxy-Authorization: Digest username=\"alice\", response=\"0123456789abcdef\"\n");

        var trace = await TraceApi.WaitForAsync(h.Server.Http, h.CallId, t => TraceApi.Ends(t, "A", ALeg[^1]) && TraceApi.Ends(t, "B1", "in 200 OK (2 BYE)"));

        Assert.Equal(h.CallId, trace.GetProperty("callId").GetString());
        var legs = trace.GetProperty("legs").EnumerateArray().ToArray();
        Assert.Equal(["A", "B1"], legs.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(h.CallId, legs[0].GetProperty("callId").GetString());
        Assert.Equal(h.Caller.LocalEndPoint.ToString(), legs[0].GetProperty("peer").GetString());
        Assert.Equal(h.Callee.LocalEndPoint.ToString(), legs[1].GetProperty("peer").GetString());
        Assert.NotEqual(h.CallId, legs[1].GetProperty("callId").GetString());
        Assert.Equal($"sip:bob@{h.Callee.LocalEndPoint}", legs[1].GetProperty("target").GetString());
        Assert.Equal(ALeg, TraceApi.Ladder(trace, "A"));
        Assert.Equal(
            ["out INVITE (1 INVITE)", "in 100 Trying (1 INVITE)", "in 180 Ringing (1 INVITE)", "in 200 OK (1 INVITE)", "out ACK (1 ACK)", "out BYE (2 BYE)", "in 200 OK (2 BYE)"],
            TraceApi.Ladder(trace, "B1"));

        var messages = trace.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(Enumerable.Range(0, messages.Length).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(0.0, messages[0].GetProperty("offsetMs").GetDouble());
        Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.GetProperty("offsetMs").GetDouble() <= p.Second.GetProperty("offsetMs").GetDouble()));
        Assert.EndsWith("Z", messages[0].GetProperty("at").GetString(), StringComparison.Ordinal);
        Assert.All(messages, m => Assert.Equal("UDP", m.GetProperty("transport").GetString()));
        Assert.Equal((h.Server.UdpEndPoint.ToString(), h.Caller.LocalEndPoint.ToString()), (messages[0].GetProperty("local").GetString(), messages[0].GetProperty("remote").GetString()));

        var invite = messages[0].GetProperty("text").GetString()!;
        Assert.StartsWith("INVITE sip:bob@example.test SIP/2.0\r\n", invite, StringComparison.Ordinal);
        Assert.Contains("\r\nProxy-Authorization: [redacted]\r\n", invite, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", invite, StringComparison.Ordinal);
        Assert.Contains("m=audio 40000 RTP/AVP 0", invite, StringComparison.Ordinal);

        var listed = Assert.Single((await h.Server.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/traces", UriKind.Relative))).EnumerateArray());
        Assert.Equal(h.CallId, listed.GetProperty("callId").GetString());
        Assert.Equal("answered", listed.GetProperty("result").GetString());
        Assert.Equal("sip:alice@example.test", listed.GetProperty("caller").GetString());
        Assert.Equal("sip:bob@example.test", listed.GetProperty("dialled").GetString());
        Assert.Equal(messages.Length, listed.GetProperty("messages").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("endedAt").ValueKind);
    }

    [Fact]
    public async Task TheTextExport_HasOneBlockPerMessage_WithTimeOffsetLegDirectionAndAddresses()
    {
        await using var h = await CallHarness.StartAsync();
        await PlaceRingingCallAsync(h);
        var trace = await TraceApi.WaitForAsync(h.Server.Http, h.CallId, t => TraceApi.Ends(t, "A", ALeg[^1]) && TraceApi.Ends(t, "B1", "in 200 OK (2 BYE)"));

        var response = await h.Server.Http.GetAsync(new Uri($"/api/calls/{h.CallId}/trace.txt", UriKind.Relative));

        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        // A message with a body has a blank line of its own, so blocks are found by their first line.
        var blocks = Regex.Split(text, @"(?m)^(?=\S+Z \+\d+\.\d{3}s [AB]\d* (?:in|out) UDP )").Where(b => b.Length > 0).ToArray();
        Assert.Equal(trace.GetProperty("messages").GetArrayLength(), blocks.Length);
        Assert.All(blocks, b => Assert.EndsWith("\n\n", b, StringComparison.Ordinal));
        var caller = h.Caller.LocalEndPoint.ToString();
        var server = h.Server.UdpEndPoint.ToString();
        Assert.Matches($@"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z \+0\.000s A in UDP {Regex.Escape(caller)} -> {Regex.Escape(server)}\nINVITE sip:bob@example\.test SIP/2\.0\nVia: ", blocks[0]);
        Assert.Matches($@"^\S+Z \+\d+\.\d{{3}}s A out UDP {Regex.Escape(server)} -> {Regex.Escape(caller)}\nSIP/2\.0 100 Trying\n", blocks[1]);
        Assert.Matches($@"^\S+Z \+\d+\.\d{{3}}s B1 out UDP {Regex.Escape(server)} -> {Regex.Escape(h.Callee.LocalEndPoint.ToString())}\nINVITE sip:bob@", blocks.First(b => b.Contains(" B1 out ", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.NotFound, (await h.Server.Http.GetAsync(new Uri("/api/calls/nobody/trace.txt", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Server.Http.GetAsync(new Uri("/api/calls/nobody/trace", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ACallForwardedOnBusy_HasLegsABusyB1AndTheTargetB2()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardBusy = "carol" } });
        var h = f.Call;
        h.Caller.Send(h.Invite());
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "INVITE"), 486, "Busy Here");
        var answer = await f.CarolAnswersAsync(await CallHarness.NextRequestAsync(f.Carol, "INVITE"));
        await f.CallerHangsUpOnCarolAsync(answer);
        await h.AssertEndedAsync("answered");

        var trace = await TraceApi.WaitForAsync(h.Server.Http, h.CallId, t => TraceApi.Ends(t, "B2", "in 200 OK (2 BYE)") && TraceApi.Ends(t, "A", "out 200 OK (2 BYE)"));

        var legs = trace.GetProperty("legs").EnumerateArray().ToArray();
        Assert.Equal(["A", "B1", "B2"], legs.Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(f.Carol.LocalEndPoint.ToString(), legs[2].GetProperty("peer").GetString());
        Assert.StartsWith("sip:carol@", legs[2].GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.Equal(["out INVITE (1 INVITE)", "in 486 Busy Here (1 INVITE)", "out ACK (1 ACK)"], TraceApi.Ladder(trace, "B1"));
        Assert.Equal(["out INVITE (1 INVITE)", "in 200 OK (1 INVITE)", "out ACK (1 ACK)", "out BYE (2 BYE)", "in 200 OK (2 BYE)"], TraceApi.Ladder(trace, "B2"));
        Assert.Equal(
            ["in INVITE (1 INVITE)", "out 100 Trying (1 INVITE)", "out 181 Call Is Being Forwarded (1 INVITE)", "out 200 OK (1 INVITE)", "in ACK (1 ACK)", "in BYE (2 BYE)", "out 200 OK (2 BYE)"],
            TraceApi.Ladder(trace, "A"));
    }

    /// <summary>A call the callee answers with 100, 180 and 200, ACKed and hung up by the caller.</summary>
    private static async Task PlaceRingingCallAsync(CallHarness h, string extraHeaders = "")
    {
        h.Caller.Send(h.Invite(extraHeaders: extraHeaders));
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 100, "Trying");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        await h.AssertEndedAsync("answered");
    }
}
