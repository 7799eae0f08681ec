using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Transactions;

/// <summary>
/// What the four machines share: a lock, a key, two timer slots (retransmission and lifetime) on
/// <see cref="TimeProvider"/>, and sending through the layer. Each machine is a hand-written switch on
/// (state, event) in <see cref="Step"/>; work for the transaction user is queued during the step and
/// run after the lock is released, so no upcall ever happens under the lock.
/// </summary>
public abstract class Transaction
{
    private readonly object _gate = new();
    private readonly List<Action> _deferred = [];
    private ITimer? _retransmitTimer;
    private ITimer? _lifetimeTimer;

    private protected Transaction(TransactionLayer layer, TransactionKey key, SipMessage request, SipDestination destination)
    {
        Layer = layer;
        Key = key;
        Request = request;
        Destination = destination;
    }

    public TransactionKey Key { get; }

    /// <summary>The request that created the transaction.</summary>
    public SipMessage Request { get; }

    public TransactionState State { get; private set; }

    /// <summary>Where this transaction sends: the next hop (client) or the response address of §18.2.2 (server).</summary>
    public SipDestination Destination { get; }

    private protected TransactionLayer Layer { get; }

    private protected SipTimerOptions Timers => Layer.Timers;

    private protected bool Reliable => Destination.IsReliable;

    public void Handle(in TransactionEvent e)
    {
        lock (_gate)
        {
            if (State != TransactionState.Terminated)
            {
                Step(e);
            }
        }

        RunDeferred();
    }

    private protected abstract void Step(in TransactionEvent e);

    private protected void MoveTo(TransactionState state)
    {
        // States only move forward (pjsip asserts the same).
        State = state;
        if (state == TransactionState.Terminated)
        {
            CancelTimer(ref _retransmitTimer);
            CancelTimer(ref _lifetimeTimer);
            Defer(() => Layer.Remove(this));
        }
    }

    private protected void Transmit(SipMessage message)
    {
        var pending = Layer.Sender.SendAsync(message.Raw, Destination);
        if (pending.IsCompletedSuccessfully)
        {
            if (pending.Result != SendResult.Sent)
            {
                Defer(() => Handle(TransactionEvent.Error));
            }

            return;
        }

        _ = ObserveSendAsync(pending);
    }

    /// <summary>A repeat of something already sent: counted, since retransmissions are the first sign of a lossy or slow path.</summary>
    private protected void Retransmit(SipMessage message)
    {
        Layer.Metrics.Retransmission();
        Transmit(message);
    }

    private protected void ArmRetransmit(TimerId id, TimeSpan due) => Arm(ref _retransmitTimer, id, due);

    private protected void ArmLifetime(TimerId id, TimeSpan due) => Arm(ref _lifetimeTimer, id, due);

    private protected void CancelRetransmit() => CancelTimer(ref _retransmitTimer);

    private protected static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Runs after the lock is released: upcalls to the transaction user go here.</summary>
    private protected void Defer(Action action) => _deferred.Add(action);

    private static void CancelTimer(ref ITimer? timer)
    {
        timer?.Dispose();
        timer = null;
    }

    private void Arm(ref ITimer? slot, TimerId id, TimeSpan due)
    {
        CancelTimer(ref slot);
        if (due <= TimeSpan.Zero)
        {
            // Reliable transports zero timers D, I, J, K (Table 4): fire as soon as the step ends.
            Defer(() => Handle(TransactionEvent.Fired(id)));
            return;
        }

        slot = Layer.Time.CreateTimer(static state => ((TimerTarget)state!).Fire(), new TimerTarget(this, id), due, Timeout.InfiniteTimeSpan);
    }

    private void RunDeferred()
    {
        while (true)
        {
            Action[] work;
            lock (_gate)
            {
                if (_deferred.Count == 0)
                {
                    return;
                }

                work = [.. _deferred];
                _deferred.Clear();
            }

            foreach (var action in work)
            {
                Layer.RunUpcall(action);
            }
        }
    }

    private async Task ObserveSendAsync(ValueTask<SendResult> pending)
    {
        if (await pending.ConfigureAwait(false) != SendResult.Sent)
        {
            Handle(TransactionEvent.Error);
        }
    }

    private sealed class TimerTarget(Transaction owner, TimerId id)
    {
        public void Fire() => owner.Handle(TransactionEvent.Fired(id));
    }
}
