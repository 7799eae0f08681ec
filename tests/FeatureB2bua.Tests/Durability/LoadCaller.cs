using System.Collections.Concurrent;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Durability;

/// <summary>What a caller saw of one call: how far it got, and whether the message that ends it arrived.</summary>
public sealed class CallSeen(string callId, string expectedResult)
{
    public string CallId { get; } = callId;

    /// <summary>The CDR result the call must have once its caller has seen it end.</summary>
    public string ExpectedResult { get; } = expectedResult;

    /// <summary>A 180 or a 200 came: the call was past routing, so the server had journaled it.</summary>
    public bool Progressed { get; set; }

    public bool Answered { get; set; }

    /// <summary>The caller has the 200 to its BYE, the 486, or the 487 after its CANCEL.</summary>
    public bool EndSeen { get; set; }
}

/// <summary>
/// A phone that places calls one after another until stopped, each answered and hung up, busy, or cancelled while
/// ringing, with random pauses so that at any moment its call is at a different stage; it records what it saw.
/// </summary>
public sealed class LoadCaller(UdpSipClient socket, string name, int seed)
{
    private readonly Random _random = new(seed);

    public ConcurrentBag<CallSeen> Calls { get; } = [];

    public async Task RunAsync(CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var callId = $"{name}-{n}-{Guid.NewGuid():N}";
            try
            {
                await (_random.Next(3) switch
                {
                    0 => AnsweredAsync(callId, stop),
                    1 => BusyAsync(callId, stop),
                    _ => CancelledAsync(callId, stop),
                });
                await Task.Delay(_random.Next(0, 50), stop);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                return;
            }
        }
    }

    /// <summary>One call answered by the callee and hung up by the caller.</summary>
    public async Task<CallSeen> AnsweredAsync(string callId, CancellationToken stop)
    {
        var call = Start(callId, "answered", "bob");
        var answer = await NextAsync(callId, m => m.StatusCode == 200 && m.CSeq!.MethodName == "INVITE", stop);
        call.Progressed = call.Answered = true;
        socket.Send(CallHarness.CallerRequestFrom(socket, callId, "ACK", answer, "z9hG4bKack" + callId, 1));
        await Task.Delay(_random.Next(0, 300), stop);
        socket.Send(CallHarness.CallerRequestFrom(socket, callId, "BYE", answer, "z9hG4bKbye" + callId, 2));
        await NextAsync(callId, m => m.StatusCode == 200 && m.CSeq!.MethodName == "BYE", stop);
        call.EndSeen = true;
        return call;
    }

    private async Task BusyAsync(string callId, CancellationToken stop)
    {
        var call = Start(callId, "busy", "bobbusy");
        var busy = await NextAsync(callId, m => m.StatusCode == 486, stop);
        call.EndSeen = true;
        socket.Send(AckOfFailure(callId, "bobbusy", busy));
    }

    private async Task CancelledAsync(string callId, CancellationToken stop)
    {
        var call = Start(callId, "cancelled", "bobring");
        await NextAsync(callId, m => m.StatusCode == 180, stop);
        call.Progressed = true;
        await Task.Delay(_random.Next(0, 300), stop);
        socket.Send(
            $"CANCEL sip:bobring@example.test SIP/2.0\nVia: SIP/2.0/UDP {socket.LocalEndPoint};branch={Branch(callId)};rport\nMax-Forwards: 70\n" +
            $"From: \"Alice\" <sip:alice@example.test>;tag=a1\nTo: <sip:bobring@example.test>\nCall-ID: {callId}\nCSeq: 1 CANCEL\nContent-Length: 0\n\n");
        var terminated = await NextAsync(callId, m => m.StatusCode == 487, stop);
        call.EndSeen = true;
        socket.Send(AckOfFailure(callId, "bobring", terminated));
    }

    private CallSeen Start(string callId, string expectedResult, string user)
    {
        var call = new CallSeen(callId, expectedResult);
        Calls.Add(call);
        socket.Send(CallHarness.InviteFrom(socket, callId, Branch(callId), CallHarness.Sdp, user));
        return call;
    }

    /// <summary>RFC 3261 §17.1.1.3: the ACK of a non-2xx final response is part of the INVITE transaction (its branch, the response's To).</summary>
    private string AckOfFailure(string callId, string user, SipMessage response) =>
        $"ACK sip:{user}@example.test SIP/2.0\nVia: SIP/2.0/UDP {socket.LocalEndPoint};branch={Branch(callId)};rport\nMax-Forwards: 70\n" +
        $"From: \"Alice\" <sip:alice@example.test>;tag=a1\nTo: {response.GetHeader("To")}\nCall-ID: {callId}\nCSeq: 1 ACK\nContent-Length: 0\n\n";

    private static string Branch(string callId) => "z9hG4bKinv" + callId;

    /// <summary>The next response of this call that <paramref name="wanted"/> accepts; those of earlier calls (retransmissions) are skipped.</summary>
    private async Task<SipMessage> NextAsync(string callId, Func<SipMessage, bool> wanted, CancellationToken stop)
    {
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            if (await socket.ReceiveAsync(100) is { IsResponse: true } message && message.CallId == callId && wanted(message))
            {
                return message;
            }
        }
    }
}
