using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Calls;

/// <summary>A caller on TCP: its dialog's requests and responses stay on its connection (RFC 3261 §18.2.2), the callee's leg is UDP.</summary>
public sealed class TcpCallTests
{
    [Fact]
    public async Task CallerOnTcp_AnswerAndTheCalleesByeReachItOnItsConnection()
    {
        await using var h = await CallHarness.StartAsync();
        using var caller = await TcpSipClient.ConnectAsync(h.Server.TcpEndPoint);
        var local = caller.LocalEndPoint;
        var invite = h.Invite().Replace($"SIP/2.0/UDP {h.Caller.LocalEndPoint}", $"SIP/2.0/TCP {local}", StringComparison.Ordinal)
            .Replace($"<sip:alice@{h.Caller.LocalEndPoint}>", $"<sip:alice@{local};transport=tcp>", StringComparison.Ordinal);

        await caller.SendAsync(invite);
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 200, "OK", body: CallHarness.AnswerSdp);
        var bAck = await CallHarness.NextRequestAsync(h.Callee, "ACK");
        var answer = await caller.ReceiveAsync(m => m.IsResponse && m.StatusCode == 200);
        await caller.SendAsync(h.CallerRequest("ACK", answer, "z9hG4bKtcpack").Replace($"SIP/2.0/UDP {h.Caller.LocalEndPoint}", $"SIP/2.0/TCP {local}", StringComparison.Ordinal));

        h.Callee.Send(h.CalleeRequest("BYE", bInvite, bAck));
        var aBye = await caller.ReceiveAsync(m => m.IsRequest && m.Method == SipMethod.Bye);
        await caller.SendAsync(ResponseBuilder.Create(aBye, 200, "OK").Raw.ToArray());

        // Our Contact and Via on this leg say TCP, so the caller's in-dialog requests come back the same way.
        Assert.EndsWith(";transport=tcp", answer.Contacts![0].Address!.Uri.Raw, StringComparison.Ordinal);
        Assert.Equal("TCP", aBye.TopVia!.Transport);
        Assert.Equal(h.CallId, aBye.CallId);
        await CallHarness.NextResponseAsync(h.Callee, 200, "BYE");
        await h.AssertEndedAsync("answered");
    }
}
