using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Calls;

/// <summary>A fault inside one call ends that call cleanly (BYE, CDR) and the server goes on with the next one.</summary>
public sealed class CallFaultIsolationTests
{
    [Fact]
    public async Task ACallThatThrows_IsHungUpWithACdr_AndTheNextCallIsUntouched()
    {
        var clock = new FailingOnceForCalls(TimeProvider.System);
        await using var h = await CallHarness.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));

        // The first call's first timer (our 2xx awaiting its ACK) throws just after the answer went out.
        var (_, answer, _) = await h.AnswerAsync();
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        h.CallerResponds(aBye, 200, "OK");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bBye, 200, "OK");
        var cdr = await h.AssertEndedAsync("error");
        Assert.Equal(answer.CallId, aBye.CallId);
        Assert.Equal(500, cdr.GetProperty("finalStatus").GetInt32());

        // The same server takes the next call as if nothing had happened.
        const string Second = "second-call";
        h.Caller.Send(h.Invite("z9hG4bKsecond").Replace(h.CallId, Second, StringComparison.Ordinal));
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 200, "OK", toTag: "b10", body: CallHarness.AnswerSdp);
        var secondAnswer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        h.Caller.Send(h.CallerRequest("ACK", secondAnswer, "z9hG4bKsecondack").Replace(h.CallId, Second, StringComparison.Ordinal));
        h.Caller.Send(h.CallerRequest("BYE", secondAnswer, "z9hG4bKsecondbye").Replace(h.CallId, Second, StringComparison.Ordinal));
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK", toTag: "b10");
        Assert.Equal(Second, secondAnswer.CallId);
        Assert.Contains(new CdrApi.Cdr(Second, "answered", 200), await CdrApi.WaitForAsync(h.Server, 2));
    }

    /// <summary>The system clock, except that the first timer a call asks for throws.</summary>
    private sealed class FailingOnceForCalls(TimeProvider inner) : TimeProvider
    {
        private int _failed;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var forCall = state is Call || state?.GetType().DeclaringType == typeof(Call);
            if (forCall && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                throw new InvalidOperationException("injected fault");
            }

            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
