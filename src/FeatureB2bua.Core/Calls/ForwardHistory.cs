using System.Globalization;
using System.Text;
using FeatureB2bua.Core.Features;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Where one call was forwarded, and how it is told downstream: History-Info (RFC 7044) for the targets this call
/// went through, Diversion (RFC 5806) for the same hops newest first, followed by the ones the caller's INVITE
/// already carried. The Diversion counters that came in count towards the hop limit, so a loop through another
/// server ends too.
/// </summary>
internal sealed class ForwardHistory
{
    private readonly List<(SipUri From, SipUri To, ForwardReason Reason)> _hops = [];
    private readonly HashSet<string> _visited = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _incoming;

    public ForwardHistory(SipMessage invite)
    {
        _incoming = invite.GetValues("Diversion");
        PriorHops = _incoming.Sum(CounterOf);
        _visited.Add(Key(invite.RequestUri!));
    }

    /// <summary>Forwards before the call reached us, by the Diversion counters of its INVITE.</summary>
    public int PriorHops { get; }

    public int Count => _hops.Count;

    public bool HasVisited(SipUri target) => _visited.Contains(Key(target));

    public void Add(SipUri from, SipUri to, ForwardReason reason)
    {
        _hops.Add((from, to, reason));
        _visited.Add(Key(to));
    }

    /// <summary>
    /// RFC 7044 §9-10: an entry per target, each retargeted one with its cause (RFC 4458) as an escaped Reason
    /// header in the URI, each new target indexed below the one it replaced and tagged mp (the target was mapped
    /// to another AoR) with that index.
    /// </summary>
    public string? HistoryInfo()
    {
        if (_hops.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        var index = "1";
        foreach (var (from, _, reason) in _hops)
        {
            text.Append('<').Append(from.Raw).Append(from.Raw.Contains('?', StringComparison.Ordinal) ? '&' : '?')
                .Append("Reason=SIP%3Bcause%3D").Append(reason.Cause().ToString(CultureInfo.InvariantCulture))
                .Append(">;index=").Append(index);
            if (index != "1")
            {
                text.Append(";mp=").Append(index[..^2]);
            }

            text.Append(',');
            index += ".1";
        }

        return text.Append('<').Append(_hops[^1].To.Raw).Append(">;index=").Append(index).Append(";mp=").Append(index[..^2]).ToString();
    }

    /// <summary>RFC 5806 §3: the most recent diversion first, one entry per hop with counter=1, then those that came in.</summary>
    public string? Diversion(SipUri? redirectFrom = null, ForwardReason redirectReason = default)
    {
        var entries = new List<string>();
        if (redirectFrom is not null)
        {
            entries.Add(Entry(redirectFrom, redirectReason));
        }

        for (var i = _hops.Count - 1; i >= 0; i--)
        {
            entries.Add(Entry(_hops[i].From, _hops[i].Reason));
        }

        entries.AddRange(_incoming);
        return entries.Count == 0 ? null : string.Join(", ", entries);
    }

    private static string Entry(SipUri from, ForwardReason reason) => $"<{from.Raw}>;reason={reason.DiversionReason()};counter=1";

    private static string Key(SipUri uri) => $"{uri.User}@{uri.Host}";

    /// <summary>RFC 5806 §4: counter defaults to 1.</summary>
    private static int CounterOf(string entry)
    {
        var at = entry.IndexOf(";counter=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return 1;
        }

        var digits = entry.AsSpan(at + 9);
        var end = digits.IndexOfAnyExceptInRange('0', '9');
        return int.TryParse(end < 0 ? digits : digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var counter) ? Math.Clamp(counter, 1, 100) : 1;
    }
}
