using System.Threading.Channels;
using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Hosting;

/// <summary>
/// Fans the console's events out to every open <c>/api/events</c> stream. The calls tell it of their changes under
/// their own locks, so publishing is a count check when nobody listens and a non-blocking write per listener
/// otherwise; each listener's queue is bounded and drops its oldest (the stream renders the current state anyway).
/// </summary>
internal sealed class ConsoleEventHub : ICallObserver
{
    private const int ListenerQueue = 256;

    private readonly Lock _gate = new();
    private Channel<ConsoleEvent>[] _listeners = [];

    public ChannelReader<ConsoleEvent> Subscribe()
    {
        var channel = Channel.CreateBounded<ConsoleEvent>(new BoundedChannelOptions(ListenerQueue) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _listeners = [.. _listeners, channel];
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<ConsoleEvent> reader)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(c => c.Reader != reader)];
        }
    }

    public void Publish(ConsoleEvent change)
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener.Writer.TryWrite(change);
        }
    }

    public void Started(string aCallId, string caller, string dialled) => Publish(ConsoleEvent.Calls);

    public void StateChanged(string aCallId) => Publish(ConsoleEvent.Calls);

    public void Ended(string aCallId, string result) => Publish(ConsoleEvent.Calls);
}
