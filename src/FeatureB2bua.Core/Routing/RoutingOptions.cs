using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.RegularExpressions;
using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Routing;

/// <summary>The <c>Routing</c> configuration section (DESIGN.md §6).</summary>
public sealed class RoutingOptions : IValidatableObject
{
    public const string Section = "Routing";

    /// <summary>CIDRs of the PBX and trunks: never challenged.</summary>
    public List<string> Trusted { get; set; } = [];

    /// <summary>Tried in order for targets outside our registered users.</summary>
    public List<RouteOptions> Routes { get; set; } = [];

    public UpstreamCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    public UpstreamProbeOptions Probe { get; set; } = new();

    /// <summary>Every distinct upstream of the routes, in the order first configured: the keys of <see cref="UpstreamHealth"/>.</summary>
    public IReadOnlyList<string> Upstreams() => [.. Routes.SelectMany(r => r.Targets).Select(t => t.Trim()).Distinct(StringComparer.Ordinal)];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var route in Routes)
        {
            if (!IsValidPattern(route.Pattern))
            {
                yield return new ValidationResult($"Routing:Routes pattern '{route.Pattern}' is not a valid regular expression.", [nameof(Routes)]);
            }

            foreach (var target in route.Targets)
            {
                if (!SipUri.TryParse(Encoding.UTF8.GetBytes(target.Trim()), out var uri) || !uri!.IsSip)
                {
                    yield return new ValidationResult($"Routing:Routes target '{target}' is not a sip: or sips: URI such as sip:127.0.0.1:5070.", [nameof(Routes)]);
                }
            }
        }

        // Polly.Core refuses ratios outside (0, 1], a throughput below 2 and durations below 500 ms; say so in our own keys.
        var breaker = CircuitBreaker;
        if (breaker.FailureRatio is <= 0 or > 1)
        {
            yield return new ValidationResult("Routing:CircuitBreaker:FailureRatio must be above 0 and at most 1.", [nameof(CircuitBreaker)]);
        }

        if (breaker.MinimumThroughput < 2)
        {
            yield return new ValidationResult("Routing:CircuitBreaker:MinimumThroughput must be at least 2.", [nameof(CircuitBreaker)]);
        }

        if (breaker.SamplingDuration < TimeSpan.FromMilliseconds(500) || breaker.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return new ValidationResult("Routing:CircuitBreaker:SamplingDuration and BreakDuration must be at least 00:00:00.5.", [nameof(CircuitBreaker)]);
        }

        if (Probe.Interval < TimeSpan.Zero)
        {
            yield return new ValidationResult("Routing:Probe:Interval must not be negative (0 turns probing off).", [nameof(Probe)]);
        }

        if (Probe.FailuresToDown < 1)
        {
            yield return new ValidationResult("Routing:Probe:FailuresToDown must be at least 1.", [nameof(Probe)]);
        }
    }

    private static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>One static route: a regular expression on the Request-URI user part and its upstreams in failover order.</summary>
public sealed class RouteOptions
{
    public string Pattern { get; set; } = string.Empty;

    /// <summary>SIP URIs such as <c>sip:127.0.0.1:5070</c>; the dialled user is put in front of each host.</summary>
    public List<string> Targets { get; set; } = [];

    /// <summary>
    /// Encodings (rtpmap names such as PCMU, PCMA, telephone-event) allowed on calls of this route; empty allows
    /// every codec the parties offer. Enforced by the media anchor on every offer and answer of the call.
    /// </summary>
    public List<string> Codecs { get; set; } = [];
}

/// <summary>
/// <c>Routing:CircuitBreaker</c>: when this share of a call attempts to one upstream fail (503, 408 or no answer,
/// transport error) within the sampling window, with at least the minimum number of attempts, the upstream is
/// set aside for the break duration; the first attempt after it is the trial that closes or reopens the circuit.
/// </summary>
public sealed class UpstreamCircuitBreakerOptions
{
    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary><c>Routing:Probe</c>: OPTIONS pings to every upstream (RFC 3261 §11), as Kamailio's dispatcher sends them.</summary>
public sealed class UpstreamProbeOptions
{
    /// <summary>Time between probe rounds; zero turns probing off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failed probes before an upstream counts as down; one answered probe brings it back.</summary>
    public int FailuresToDown { get; set; } = 2;
}
