using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FeatureB2bua.Fuzzing.Tests.Mutation;

namespace FeatureB2bua.Fuzzing.Tests.Server;

/// <summary>
/// Throws fuzz cases at a running server from one source address: datagrams over UDP, and over TCP whole messages,
/// several pipelined on one connection, partial frames left hanging, and connections reset in the middle of a message.
/// </summary>
public sealed class ServerFuzzer(IPEndPoint server, FuzzCorpus corpus, IPAddress source)
{
    private const int MaxDatagram = 65_507;
    private const int MaxHanging = 64;
    private readonly List<TcpClient> _hanging = [];

    public int Datagrams { get; private set; }

    public int TcpConnections { get; private set; }

    public int LeftHanging { get; private set; }

    public int Reset { get; private set; }

    /// <summary>Sends or connections the server ended itself, as it should for an unframeable stream.</summary>
    public int ClosedByServer { get; private set; }

    public int Cases { get; private set; }

    /// <summary>Runs cases <paramref name="firstSeed"/>, +1, ... until <paramref name="budget"/> is spent; hanging connections are closed at the end.</summary>
    public async Task RunAsync(int firstSeed, TimeSpan budget)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(source, 0));
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < budget)
            {
                var fuzzCase = FuzzCase.Create(corpus, firstSeed + Cases++);

                // Seven in eight go by UDP, which is cheap; the rest exercise the TCP framer and connection handling.
                if (fuzzCase.Seed % 8 != 0)
                {
                    if (fuzzCase.Bytes.Length is > 0 and <= MaxDatagram)
                    {
                        udp.SendTo(fuzzCase.Bytes, server);
                        Datagrams++;
                    }

                    // A few thousand datagrams a second at most: hostile, but not a flood (the flood gate is tested elsewhere).
                    if (Datagrams % 8 == 0)
                    {
                        await Task.Delay(1);
                    }

                    continue;
                }

                await SendOverTcpAsync(fuzzCase);
            }
        }
        finally
        {
            foreach (var client in _hanging)
            {
                client.Dispose();
            }

            _hanging.Clear();
        }
    }

    private async Task SendOverTcpAsync(FuzzCase fuzzCase)
    {
        var random = new Random(fuzzCase.Seed);
        var client = new TcpClient(new IPEndPoint(source, 0));
        var keep = false;
        try
        {
            await client.ConnectAsync(server);
            TcpConnections++;
            var stream = client.GetStream();
            switch (random.Next(4))
            {
                case 0:
                    await stream.WriteAsync(fuzzCase.Bytes);
                    break;
                case 1:
                    // Several messages back to back, as a proxy's connection carries them.
                    await stream.WriteAsync(fuzzCase.Bytes);
                    for (var i = 1; i <= 2; i++)
                    {
                        await stream.WriteAsync(FuzzCase.Create(corpus, fuzzCase.Seed + (i * 1_000_003)).Bytes);
                    }

                    break;
                case 2:
                    // A partial frame, and then nothing: the connection stays open until the run ends.
                    await stream.WriteAsync(fuzzCase.Bytes.AsMemory(0, random.Next(fuzzCase.Bytes.Length + 1)));
                    keep = true;
                    break;
                default:
                    // Reset (RST) in the middle of a message.
                    await stream.WriteAsync(fuzzCase.Bytes.AsMemory(0, random.Next(fuzzCase.Bytes.Length + 1)));
                    client.LingerState = new LingerOption(true, 0);
                    Reset++;
                    break;
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            ClosedByServer++;
            keep = false;
        }

        if (!keep)
        {
            client.Dispose();
            return;
        }

        LeftHanging++;
        _hanging.Add(client);
        if (_hanging.Count > MaxHanging)
        {
            _hanging[0].Dispose();
            _hanging.RemoveAt(0);
        }
    }
}
