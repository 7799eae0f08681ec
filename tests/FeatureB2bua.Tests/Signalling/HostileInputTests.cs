using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Signalling;

/// <summary>Mutated torture messages thrown at the running server over UDP and TCP: it keeps serving, and no transaction lingers past its timers.</summary>
public sealed class HostileInputTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task MutatedCorpus_OverUdpAndTcp_ServerKeepsAnswering()
    {
        var corpus = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus", "rfc4475"), "*.dat").Select(File.ReadAllBytes).ToArray();
        var random = new Random(4475);
        using var udp = new UdpSipClient(server.UdpEndPoint);
        for (var i = 0; i < 2000; i++)
        {
            udp.Send(Mutate(corpus[random.Next(corpus.Length)], random));
        }

        for (var i = 0; i < 50; i++)
        {
            using var tcp = await TcpSipClient.ConnectAsync(server.TcpEndPoint);
            await tcp.SendAsync(Mutate(corpus[random.Next(corpus.Length)], random));
        }

        using var probe = new UdpSipClient(server.UdpEndPoint);
        probe.Send(SipText.Request("OPTIONS", "sip:example.test", branch: "z9hG4bKprobe", callId: "probe"));
        Assert.Equal(200, (await probe.ReceiveFinalAsync(5000)).StatusCode);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        for (var i = 0; i < 1 + random.Next(6); i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return random.Next(4) == 0 ? bytes.AsSpan(0, random.Next(1, bytes.Length)).ToArray() : bytes;
    }
}
