namespace FeatureB2bua.Core.Tracing;

/// <summary>
/// At most <c>capacity</c> messages of one call: the first half for good (the setup), and a ring of the latest for
/// the rest (the teardown), so a long call's refreshes push out only the middle. A gap in the sequence numbers shows
/// what was left out.
/// </summary>
public sealed class MessageWindow(int capacity)
{
    private readonly int _headCapacity = (capacity + 1) / 2;
    private readonly List<TracedMessage> _head = [];
    private readonly TracedMessage[] _tail = new TracedMessage[capacity - ((capacity + 1) / 2)];
    private int _tailCount;
    private int _tailNext;

    public int Count => _head.Count + _tailCount;

    public void Add(TracedMessage message)
    {
        if (_head.Count < _headCapacity)
        {
            _head.Add(message);
            return;
        }

        if (_tail.Length == 0)
        {
            return;
        }

        _tail[_tailNext] = message;
        _tailNext = (_tailNext + 1) % _tail.Length;
        _tailCount = Math.Min(_tailCount + 1, _tail.Length);
    }

    public TracedMessage[] ToArray()
    {
        var all = new TracedMessage[Count];
        _head.CopyTo(all);
        var oldest = _tailCount < _tail.Length ? 0 : _tailNext;
        for (var i = 0; i < _tailCount; i++)
        {
            all[_head.Count + i] = _tail[(oldest + i) % _tail.Length];
        }

        return all;
    }
}
