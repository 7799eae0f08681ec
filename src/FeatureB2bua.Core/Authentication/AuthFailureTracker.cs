using System.Collections.Concurrent;
using System.Net;

namespace FeatureB2bua.Core.Authentication;

/// <summary>
/// Brute-force protection: failures are counted per source address and per user in a fixed window; reaching
/// the limit bans that address or user for the ban period, and bans lapse on their own. Counting is serialised, so
/// attempts checked at the same time cannot slip past the limit: a ban starts after exactly
/// <see cref="AuthOptions.MaxFailures"/> failures.
/// </summary>
public sealed class AuthFailureTracker(TimeProvider time, AuthOptions options)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _bans = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _calls;

    public bool IsBanned(IPAddress source, string? user)
    {
        var now = time.GetUtcNow();
        return IsBanned(AddressKey(source), now) || (user is not null && IsBanned(UserKey(user), now));
    }

    /// <summary>Counts a failure against the address and the user, unless one of them got banned meanwhile.</summary>
    public FailureVerdict RecordFailure(IPAddress source, string? user)
    {
        lock (_gate)
        {
            if (IsBanned(source, user))
            {
                return FailureVerdict.AlreadyBanned;
            }

            var now = time.GetUtcNow();
            var banned = Count(AddressKey(source), now);
            if (user is not null)
            {
                banned |= Count(UserKey(user), now);
            }

            return banned ? FailureVerdict.BanStarted : FailureVerdict.Counted;
        }
    }

    private static string AddressKey(IPAddress address) => "ip:" + address;

    private static string UserKey(string user) => "user:" + user;

    private bool IsBanned(string key, DateTimeOffset now)
    {
        if (!_bans.TryGetValue(key, out var until))
        {
            return false;
        }

        if (until > now)
        {
            return true;
        }

        _bans.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        return false;
    }

    private bool Count(string key, DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _calls) % 1024 == 0)
        {
            Sweep(now);
        }

        var window = _windows.AddOrUpdate(
            key,
            _ => new Window(now, 1),
            (_, w) => now - w.Start > options.FailureWindow ? new Window(now, 1) : w with { Failures = w.Failures + 1 });
        if (window.Failures < options.MaxFailures)
        {
            return false;
        }

        _windows.TryRemove(key, out _);
        _bans[key] = now + options.BanDuration;
        return true;
    }

    /// <summary>Spoofed source addresses must not grow the tables without bound.</summary>
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (now - window.Start > options.FailureWindow)
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }

        foreach (var (key, until) in _bans)
        {
            if (until <= now)
            {
                _bans.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
            }
        }
    }

    private readonly record struct Window(DateTimeOffset Start, int Failures);
}
