using System.Collections.Concurrent;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Which of our subscribers are in a call now, as caller or as the party rung or answering: what "busy when
/// already in a call" asks. Each call engages its parties once and releases them when it ends.
/// </summary>
public sealed class CallPresence
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.OrdinalIgnoreCase);

    public bool IsInCall(string user) => _calls.TryGetValue(user, out var count) && count > 0;

    internal void Engage(string user) => _calls.AddOrUpdate(user, 1, static (_, count) => count + 1);

    internal void Release(string user)
    {
        if (_calls.AddOrUpdate(user, 0, static (_, count) => count - 1) <= 0)
        {
            _calls.TryRemove(new KeyValuePair<string, int>(user, 0));
        }
    }
}
