using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Observability;

namespace FeatureB2bua.Tests.Operations;

/// <summary>What makes every series the ops files query appear on a <see cref="CallHarness"/> server, and the scrape after it.</summary>
internal static class OperationsTraffic
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    /// <summary>alice registers with her demo password (registrations, REGISTER results).</summary>
    public static async Task RegisterAsync(CallHarness h)
    {
        using var phone = new UdpSipClient(h.Server.UdpEndPoint);
        var registered = await new RegisteringPhone(phone, "alice", "alice-demo-pw").RegisterAsync($"Contact: <sip:alice@{phone.LocalEndPoint}>\nExpires: 600\n");
        Assert.Equal(200, registered.StatusCode);
    }

    /// <summary>A call of its own Call-ID to a user no route knows: 404, another ended call (result failed).</summary>
    public static async Task UnroutableCallAsync(CallHarness h, int n)
    {
        h.Caller.Send(h.Invite(branch: $"z9hG4bKnoroute{n}")
            .Replace(h.CallId, $"{h.CallId}-noroute{n}", StringComparison.Ordinal)
            .Replace("sip:bob@example.test SIP/2.0", "sip:nobody@elsewhere.test SIP/2.0", StringComparison.Ordinal));
        await CallHarness.NextResponseAsync(h.Caller, 404);
    }

    public static async Task<PrometheusExposition> ScrapeAsync(CallHarness h) =>
        PrometheusExposition.Parse(await h.Server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>
    /// The names not found in <paramref name="exposition"/>: a name is found as a family, or as the _bucket, _sum or
    /// _count series of a histogram family. <c>up</c> is not the server's: Prometheus writes it for every target.
    /// </summary>
    public static IEnumerable<string> Missing(PrometheusExposition exposition, IEnumerable<string> names) =>
        names.Where(name => name != "up" && !exposition.Families.ContainsKey(name) && !IsHistogramSeries(exposition, name));

    private static bool IsHistogramSeries(PrometheusExposition exposition, string name) =>
        HistogramSuffixes.Any(suffix =>
            name.EndsWith(suffix, StringComparison.Ordinal)
            && exposition.Families.TryGetValue(name[..^suffix.Length], out var family)
            && family.Type == "histogram");
}
