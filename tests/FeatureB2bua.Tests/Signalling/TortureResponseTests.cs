using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Signalling;

/// <summary>
/// RFC 4475 messages whose verdict is an answer from the UAS, sent over UDP to a running server. Each case gets
/// its own server: several torture messages share a branch and sent-by (novelsc and unkscm, for one), which
/// rightly makes the second a retransmission of the first to one server.
/// </summary>
public sealed class TortureResponseTests
{
    private static int _nextAddress;

    [Theory]
    [InlineData("unkscm", 416)]
    [InlineData("novelsc", 416)]
    [InlineData("invut", 415)]
    [InlineData("sdp01", 406)]
    [InlineData("mismatch02", 501)]
    [InlineData("intmeth", 501)]
    [InlineData("esc02", 501)]
    [InlineData("badvers", 505)]
    [InlineData("insuf", 400)]
    [InlineData("zeromf", 200)]
    [InlineData("unksm2", 400)]
    [InlineData("clerr", 400)]
    [InlineData("escruri", 400)]
    public async Task Server_TortureRequest_AnswersAsTheRfcExpects(string name, int status)
    {
        await using var server = await StartServerAsync();
        using var client = ClientAt5060(server);
        client.Send(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "rfc4475", name + ".dat")));

        var response = await client.ReceiveFinalAsync();

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task Server_Bext01_Gets420ListingEveryUnsupportedTag()
    {
        await using var server = await StartServerAsync();
        using var client = ClientAt5060(server);
        client.Send(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "rfc4475", "bext01.dat")));

        var response = await client.ReceiveFinalAsync();

        Assert.Equal(420, response.StatusCode);
        Assert.Equal(
            ["nothingSupportsThis", "nothingSupportsThisEither", "noProxiesSupportThis", "norDoAnyProxiesSupportThis"],
            response.GetValues(Sip.Messages.HeaderId.Unsupported));
    }

    /// <summary>
    /// The corpus Vias carry no rport, so answers go to the source address at port 5060; each case gets its own
    /// loopback address so the bytes are sent exactly as the RFC has them.
    /// </summary>
    private static async Task<ServerFixture> StartServerAsync()
    {
        var server = new ServerFixture();
        await server.InitializeAsync();
        return server;
    }

    private static UdpSipClient ClientAt5060(ServerFixture server)
    {
        var address = new System.Net.IPAddress([127, 0, 45, (byte)Interlocked.Increment(ref _nextAddress)]);
        return new UdpSipClient(server.UdpEndPoint, new System.Net.IPEndPoint(address, 5060));
    }
}
