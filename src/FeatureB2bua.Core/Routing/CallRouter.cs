using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// Where a new call goes: a user of our domain to its registered contacts, highest q first (RFC 3261 §16.6
/// ordering), sent to the address the REGISTER came from so that phones behind NAT are reached; anything else
/// by the first static route whose pattern matches the dialled user, to its upstreams in order, the usable ones
/// (<see cref="UpstreamHealth"/>) first.
/// </summary>
public sealed class CallRouter
{
    private readonly ILocationStore _locations;
    private readonly LocalDomain _domain;
    private readonly TimeProvider _time;
    private readonly (Regex Pattern, (string Key, SipUri Uri)[] Upstreams, string[] Codecs)[] _routes;

    public CallRouter(ILocationStore locations, RoutingOptions options, LocalDomain domain, TimeProvider time, UpstreamHealth health)
    {
        _locations = locations;
        _domain = domain;
        _time = time;
        Health = health;
        _routes = [.. options.Routes.Select(r => (
            new Regex(r.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)),
            r.Targets.Select(t => (t.Trim(), SipUri.Parse(t.Trim()))).ToArray(),
            r.Codecs.Select(c => c.Trim()).Where(c => c.Length > 0).ToArray()))];
    }

    /// <summary>Where the call reports how each attempt on an upstream went.</summary>
    public UpstreamHealth Health { get; }

    public Task<RoutingDecision> RouteAsync(SipMessage invite, CancellationToken cancellationToken = default) =>
        RouteAsync(invite.RequestUri!, invite, cancellationToken);

    /// <summary>Where a call to <paramref name="uri"/> goes: the dialled Request-URI, or a target a feature chose instead.</summary>
    public async Task<RoutingDecision> RouteAsync(SipUri uri, SipMessage invite, CancellationToken cancellationToken = default)
    {
        var decision = await FindTargetsAsync(uri, invite, cancellationToken).ConfigureAwait(false);
        return uri.IsSecure ? OverTlsOnly(decision) : decision;
    }

    /// <summary>
    /// RFC 3261 §26.2.2 and RFC 5630 §3.1: a sips: request travels on TLS on every hop, so targets reached otherwise
    /// are dropped rather than downgraded. With none left the caller hears 480 with Warning 380 "SIPS Not Allowed"
    /// (RFC 5630 §5.3, the answer when a sips: request finds only non-secure contacts).
    /// </summary>
    private static RoutingDecision OverTlsOnly(RoutingDecision decision)
    {
        if (decision.Targets.Count == 0)
        {
            return decision;
        }

        var secure = decision.Targets.Where(t => t.Destination.Protocol == TransportProtocol.Tls).ToList();
        return secure.Count > 0
            ? decision with { Targets = secure }
            : RoutingDecision.Refuse(480, "Temporarily Unavailable", "380 b2bua \"SIPS Not Allowed\"");
    }

    private async Task<RoutingDecision> FindTargetsAsync(SipUri uri, SipMessage invite, CancellationToken cancellationToken)
    {
        var user = uri.User ?? string.Empty;
        var ours = _domain.IsUs(uri.Host, invite);
        if (ours)
        {
            var bindings = await _locations.GetBindingsAsync(AddressOfRecord.For(user, _domain.Name), _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (bindings.Count > 0)
            {
                var targets = new List<CallTarget>();
                foreach (var binding in bindings.OrderByDescending(b => b.Q))
                {
                    if (ParseSource(binding.Source) is { } source && SipUri.TryParse(System.Text.Encoding.UTF8.GetBytes(binding.Contact), out var contact))
                    {
                        // §16.6: equal q is rung in parallel, a lower q only after every higher one failed.
                        targets.Add(new CallTarget(contact!, source, Group: -binding.Q));
                    }
                }

                return new RoutingDecision(targets);
            }
        }

        foreach (var (pattern, upstreams, codecs) in _routes)
        {
            if (!pattern.IsMatch(user))
            {
                continue;
            }

            var targets = new List<CallTarget>();
            foreach (var (key, upstream) in upstreams)
            {
                // RFC 3261 §19.1.1: the userinfo is optional, and "sip:@host" is no URI.
                var userInfo = user.Length == 0 ? string.Empty : user + "@";
                var requestUri = SipUri.Parse($"{upstream.Scheme}:{userInfo}{upstream.Host}{(upstream.Port is { } port ? ":" + port.ToString(CultureInfo.InvariantCulture) : string.Empty)}");
                if (await NextHopResolver.ResolveAsync(upstream, cancellationToken).ConfigureAwait(false) is { } destination)
                {
                    targets.Add(new CallTarget(requestUri, destination, Group: targets.Count, Upstream: key));
                }
            }

            return targets.Count > 0 ? new RoutingDecision(UsableFirst(targets), Codecs: codecs) : RoutingDecision.Refuse(503, "No Upstream Reachable");
        }

        // A user of ours who is not registered is temporarily away; anything else is unknown here.
        return ours ? RoutingDecision.Refuse(480, "Temporarily Unavailable") : RoutingDecision.Refuse(404, "Not Found");
    }

    /// <summary>
    /// Usable upstreams first, each group in configured order. When none is usable all are still tried rather
    /// than refused at once with 503, as a Kamailio dispatcher script does when ds_select_dst finds no active
    /// destination: probes can be wrong (a firewall that drops OPTIONS but passes INVITEs) and a breaker stays
    /// open until its trial, so refusing would turn a partial view into a total outage. The price is one failed
    /// attempt per down upstream; once a break is over, that attempt is the breaker's half-open trial.
    /// </summary>
    private List<CallTarget> UsableFirst(List<CallTarget> targets)
    {
        var usable = targets.Select(t => Health.IsUsable(t.Upstream!)).ToArray();
        return [.. targets.Where((_, i) => usable[i]), .. targets.Where((_, i) => !usable[i])];
    }

    /// <summary>Binding sources are written as <c>udp:203.0.113.5:5060</c> by the registrar.</summary>
    private static SipDestination? ParseSource(string source)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !IPEndPoint.TryParse(source[(colon + 1)..], out var endPoint))
        {
            return null;
        }

        var protocol = source[..colon] switch
        {
            "tcp" => TransportProtocol.Tcp,
            "tls" => TransportProtocol.Tls,
            _ => TransportProtocol.Udp,
        };
        return new SipDestination(protocol, endPoint);
    }
}
