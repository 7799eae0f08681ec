using System.Net;
using System.Net.Http.Json;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using FeatureB2bua.Tests.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Security;

/// <summary>
/// The flood gate on the wire: a source over its limit gets nothing (or 503), a banned source nothing at all, a
/// scanner nothing, while another source is served. The server's clock is manual, so no token refills unless a
/// test moves it. Clients bind 127.0.0.2 and 127.0.0.3: the fixture exempts 127.0.0.1. Alone in the process, as the
/// metrics are counted across it.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class FloodGateWireTests
{
    private static readonly IPAddress Flooder = IPAddress.Parse("127.0.0.3");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.0.2");
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task InvitesOverTheRate_AreDropped_WhileAnotherSourceIsFullyServed()
    {
        await using var server = await StartAsync("--Security:Flood:Invite:Burst=3", "--Security:Flood:BanAfterRejections=0");
        using var flooder = Client(server, Flooder);
        using var neighbour = Client(server, Neighbour);

        var flood = await SendAsync(flooder, "INVITE", 10);
        var served = await SendAsync(neighbour, "INVITE", 3);

        Assert.Equal("407 407 407", flood);
        Assert.Equal("407 407 407", served);
    }

    [Fact]
    public async Task RejectAction_Answers503WithRetryAfter_OverTheRate()
    {
        await using var server = await StartAsync(
            "--Security:Flood:Invite:Burst=2", "--Security:Flood:BanAfterRejections=0", "--Security:Flood:Action=reject", "--Security:Flood:RetryAfterSeconds=42");
        using var flooder = Client(server, Flooder);

        var answers = await ReceiveAllAsync(flooder, SendRequests(flooder, "INVITE", 4));

        Assert.Equal("407 407 503 503", string.Join(' ', answers.Select(a => a.StatusCode).Order()));
        Assert.All(answers.Where(a => a.StatusCode == 503), a => Assert.Equal("42", a.GetHeader(HeaderId.RetryAfter)));
    }

    [Fact]
    public async Task BannedSource_GetsNothingEvenForOptions_AndIsServedAgainOnceTheBanLapses()
    {
        await using var server = await StartAsync(
            "--Security:Flood:Invite:Burst=1", "--Security:Flood:BanAfterRejections=3", "--Security:Flood:BanDuration=00:02:00");
        using var flooder = Client(server, Flooder);
        using var neighbour = Client(server, Neighbour);

        Assert.Equal("407", await SendAsync(flooder, "INVITE", 4));

        // A fresh port of the banned address: the 407's retransmissions go to the first one.
        using var later = Client(server, Flooder);
        Assert.Equal(string.Empty, await SendAsync(later, "OPTIONS", 1));
        Assert.Equal("200", await SendAsync(neighbour, "OPTIONS", 1));
        var ban = Assert.Single(await server.Http.GetFromJsonAsync<BanView[]>("/api/bans") ?? []);
        Assert.Equal(("127.0.0.3", _clock.Now + TimeSpan.FromMinutes(2), "flood"), (ban.Source, ban.Until, ban.Reason));

        _clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(string.Empty, await SendAsync(later, "OPTIONS", 1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("200", await SendAsync(later, "OPTIONS", 1));
        Assert.Empty(await server.Http.GetFromJsonAsync<BanView[]>("/api/bans") ?? []);
    }

    [Fact]
    public async Task ScannerUserAgent_IsDropped_ANormalOneAnswered_AndDeletingTheBanServesTheSourceAgain()
    {
        await using var server = await StartAsync("--Security:Scanners:Ban=true");
        using var scanner = Client(server, Flooder);

        Assert.Equal("200", await SendAsync(scanner, "OPTIONS", 1, "User-Agent: Linphone/5.2\n"));
        Assert.Equal(string.Empty, await SendAsync(scanner, "OPTIONS", 1, "User-Agent: friendly-scanner\n"));
        Assert.Equal(string.Empty, await SendAsync(scanner, "OPTIONS", 1, "User-Agent: Linphone/5.2\n"));
        Assert.Equal("scanner", Assert.Single(await server.Http.GetFromJsonAsync<BanView[]>("/api/bans") ?? []).Reason);

        Assert.Equal(HttpStatusCode.NoContent, (await server.Http.DeleteAsync(new Uri("/api/bans/127.0.0.3", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.DeleteAsync(new Uri("/api/bans/127.0.0.3", UriKind.Relative))).StatusCode);
        Assert.Equal("200", await SendAsync(scanner, "OPTIONS", 1, "User-Agent: Linphone/5.2\n"));
    }

    [Fact]
    public async Task Metrics_CountRejections_Bans_BannedPackets_AndScanners()
    {
        await using var server = await StartAsync("--Security:Flood:Invite:Burst=1", "--Security:Flood:BanAfterRejections=4");
        using var flooder = Client(server, Flooder);
        using var neighbour = Client(server, Neighbour);

        await SendAsync(flooder, "INVITE", 7);
        await SendAsync(neighbour, "OPTIONS", 1, "User-Agent: sipcli/v1.8\n");

        var exposition = PrometheusExposition.Parse(await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.Equal(4, exposition.Value("b2bua_flood_rejected_total", ("method", "INVITE"), ("action", "drop")));
        Assert.Equal(0, exposition.Value("b2bua_flood_rejected_total", ("method", "REGISTER"), ("action", "drop")));
        Assert.Equal(1, exposition.Value("b2bua_flood_bans_total", ("reason", "flood")));
        Assert.Equal(2, exposition.Value("b2bua_banned_packets_total"));
        Assert.Equal(1, exposition.Value("b2bua_banned_sources"));
        Assert.Equal(1, exposition.Value("b2bua_scanner_dropped_total"));
        Assert.Equal(2, exposition.Value("b2bua_flood_sources"));
    }

    private Task<ServerFixture> StartAsync(params string[] settings) =>
        ServerFixture.StartAsync(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)), settings);

    private static UdpSipClient Client(ServerFixture server, IPAddress address) => new(server.UdpEndPoint, new IPEndPoint(address, 0));

    /// <summary>Sends <paramref name="count"/> requests, each its own transaction, and returns the final answers' status codes, sorted: "407 407".</summary>
    private static async Task<string> SendAsync(UdpSipClient client, string method, int count, string extraHeaders = "") =>
        string.Join(' ', (await ReceiveAllAsync(client, SendRequests(client, method, count, extraHeaders))).Select(a => a.StatusCode).Order());

    private static HashSet<string> SendRequests(UdpSipClient client, string method, int count, string extraHeaders = "")
    {
        var callIds = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var callId = $"flood-{Guid.NewGuid():N}";
            callIds.Add(callId);
            client.Send(SipText.Request(method, branch: "z9hG4bK" + callId, callId: callId, extraHeaders: extraHeaders, via: client.LocalEndPoint.ToString()));
        }

        return callIds;
    }

    /// <summary>The first final answer to each of <paramref name="callIds"/> that comes within a second of the last message.</summary>
    private static async Task<List<SipMessage>> ReceiveAllAsync(UdpSipClient client, HashSet<string> callIds)
    {
        var answers = new List<SipMessage>();
        while (callIds.Count > 0 && await client.ReceiveAsync(1000) is { } message)
        {
            if (message.IsResponse && message.StatusCode >= 200 && callIds.Remove(message.GetHeader(HeaderId.CallId)!))
            {
                answers.Add(message);
            }
        }

        return answers;
    }

    private sealed record BanView(string Source, DateTimeOffset Until, string Reason);
}
