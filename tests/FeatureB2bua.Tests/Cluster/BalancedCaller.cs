using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>How a caller's ACK and BYE find the node that holds its call through the balancer.</summary>
public enum InDialogPath
{
    /// <summary>RFC 3261 §12.2.1.1: with Kamailio's Record-Route of the 2xx as Route, the node's Contact as Request-URI.</summary>
    RecordRoute,

    /// <summary>No Route (a phone that ignores Record-Route), the node's Contact as Request-URI.</summary>
    ContactOnly,

    /// <summary>No Route and a Request-URI that names no node: only the Call-ID hash can find the node.</summary>
    CallIdHashOnly,
}

/// <summary>The dialog of one answered call as its caller knows it.</summary>
public sealed record PlacedCall(string CallId, SipMessage Answer, InDialogPath Path);

/// <summary>A phone that places calls one at a time through Kamailio and hangs them up, every wait bounded.</summary>
public sealed class BalancedCaller(KamailioProcess kamailio) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly UdpSipClient _socket = new(kamailio.EndPoint);

    /// <summary>INVITE until the 200, then the ACK; the 2xx must carry Kamailio's Record-Route on top (§16.6 step 4).</summary>
    public async Task<PlacedCall> AnswerAsync(string callId, InDialogPath path, string user = "bob")
    {
        _socket.Send(CallHarness.InviteFrom(_socket, callId, "z9hG4bKinv" + callId, user: user));
        var answer = await NextResponseAsync(callId, "INVITE");
        Assert.True(answer.StatusCode == 200, $"call {callId} got {answer.StatusCode} {answer.ReasonPhrase}");
        var recordRoute = Assert.IsType<List<NameAddress>>(answer.RecordRoutes)[0].Uri.Raw;
        Assert.StartsWith($"sip:{kamailio.EndPoint};lr", recordRoute, StringComparison.Ordinal);
        var call = new PlacedCall(callId, answer, path);
        _socket.Send(InDialog(call, "ACK", 1));
        return call;
    }

    /// <summary>BYE by the call's path; returns the final response to it.</summary>
    public async Task<SipMessage> HangUpAsync(PlacedCall call)
    {
        _socket.Send(InDialog(call, "BYE", 2));
        return await NextResponseAsync(call.CallId, "BYE");
    }

    public void Dispose() => _socket.Dispose();

    private string InDialog(PlacedCall call, string method, uint cseq)
    {
        // The INVITE also carried a Record-Route of a proxy on the caller's side (CallHarness.InviteFrom): that proxy
        // would take itself off the route set, so what reaches Kamailio is its own entry only.
        var route = call.Path == InDialogPath.RecordRoute ? $"Route: <{call.Answer.RecordRoutes![0].Uri.Raw}>\n" : "";
        var request = CallHarness.CallerRequestFrom(_socket, call.CallId, method, call.Answer, $"z9hG4bK{method}{call.CallId}", cseq, extraHeaders: route);
        return call.Path == InDialogPath.CallIdHashOnly ? $"{method} sip:bob@example.test SIP/2.0" + request[request.IndexOf('\n')..] : request;
    }

    /// <summary>The final response to this call's <paramref name="method"/>; provisionals and other calls' messages are skipped.</summary>
    private async Task<SipMessage> NextResponseAsync(string callId, string method)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var left = (int)(deadline - DateTime.UtcNow).TotalMilliseconds;
            Assert.True(left > 0, $"no final response to the {method} of {callId} within {Patience.TotalSeconds} s");
            if (await _socket.ReceiveAsync(left) is { IsResponse: true, StatusCode: >= 200 } response && response.CallId == callId && response.CSeq!.MethodName == method)
            {
                return response;
            }
        }
    }
}
