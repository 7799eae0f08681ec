using System.Text;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Calls;

/// <summary>
/// Every SDP that crosses between the legs goes through the call's media session, and nothing else does; the
/// session is closed when the call ends. A stand-in anchor here stamps each description with the side it came from.
/// </summary>
public sealed class CallMediaHookTests
{
    [Fact]
    public async Task Sdp_CrossingEitherWay_PassesTheMediaSession_OtherBodiesDoNot_AndTheSessionEndsWithTheCall()
    {
        var anchor = new StampingAnchor();
        await using var h = await CallHarness.StartAsync(s => s.Replace(ServiceDescriptor.Singleton<IMediaSessionFactory>(anchor)));
        var (bInvite, answer, bAck) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        Assert.Equal(StampingAnchor.Stamp(CallSide.A, CallHarness.Sdp), Encoding.ASCII.GetString(bInvite.Body));
        Assert.Equal(StampingAnchor.Stamp(CallSide.B, CallHarness.AnswerSdp), Encoding.ASCII.GetString(answer.Body));

        h.Callee.Send(h.CalleeRequest("INVITE", bInvite, bAck, cseq: 2, body: CallHarness.AnswerSdp.Replace("2 2 IN", "2 3 IN", StringComparison.Ordinal)));
        var aReInvite = await CallHarness.NextRequestAsync(h.Caller, "INVITE");
        h.CallerResponds(aReInvite, 200, "OK", body: CallHarness.Sdp);
        var calleeOk = await CallHarness.NextResponseAsync(h.Callee, 200, "INVITE");
        h.Callee.Send(h.CalleeRequest("ACK", bInvite, bAck, cseq: 2));
        Assert.StartsWith("a=stamp:B", Encoding.ASCII.GetString(aReInvite.Body), StringComparison.Ordinal);
        Assert.StartsWith("a=stamp:A", Encoding.ASCII.GetString(calleeOk.Body), StringComparison.Ordinal);

        const string Dtmf = "Signal=1\r\nDuration=100\r\n";
        h.Callee.Send(h.CalleeRequest("INFO", bInvite, bAck, cseq: 3, body: Dtmf, contentType: "application/dtmf-relay"));
        var info = await CallHarness.NextRequestAsync(h.Caller, "INFO");
        h.CallerResponds(info, 200, "OK");
        Assert.Equal(Dtmf, Encoding.ASCII.GetString(info.Body));

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        await h.AssertEndedAsync("answered");
        Assert.Equal(1, anchor.Opened);
        Assert.Equal(1, anchor.Closed);
    }

    /// <summary>Puts "a=stamp:SIDE" in front of each description, so a test can see which ones passed and from where.</summary>
    private sealed class StampingAnchor : IMediaSessionFactory
    {
        private int _opened;
        private int _closed;

        public int Opened => _opened;

        public int Closed => _closed;

        public static string Stamp(CallSide from, string sdp) => $"a=stamp:{from}\r\n{sdp}";

        public IMediaSession Open(IMediaSessionEvents events)
        {
            Interlocked.Increment(ref _opened);
            return new Session(this);
        }

        private sealed class Session(StampingAnchor anchor) : IMediaSession
        {
            public bool TryPass(CallSide from, ReadOnlySpan<byte> sdp, HoldShaping shaping, out byte[] passed, out string? error)
            {
                passed = Encoding.ASCII.GetBytes(Stamp(from, Encoding.ASCII.GetString(sdp)));
                error = null;
                return true;
            }

            public bool TryAnswerLocally(CallSide from, ReadOnlySpan<byte> offer, out byte[] answer, out string? error)
            {
                answer = [];
                error = "not in this test";
                return false;
            }

            public void CallAnswered()
            {
            }

            public void RestrictCodecs(IReadOnlyList<string> encodings)
            {
            }

            public bool PlayHoldMusic(CallSide towards, string? file) => false;

            public void StopHoldMusic(CallSide towards)
            {
            }

            public TimeSpan? PlayConfirmationTone(CallSide towards) => null;

            public MediaSnapshot? Snapshot() => null;

            public void Dispose() => Interlocked.Increment(ref anchor._closed);
        }
    }
}
