using System.Diagnostics.Metrics;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Sip.Tests.Transport;

/// <summary>A started loopback TcpTransport with its sink, metrics and the peers a test opens against it.</summary>
internal sealed class TcpHarness : IAsyncDisposable
{
    private readonly Meter _meter = new("tcp-transport-tests");
    private readonly List<TcpPeer> _peers = [];

    public TcpHarness(TransportOptions? options = null, TimeProvider? time = null, CollectingSink? sink = null)
    {
        Metrics = new MeterRecorder(_meter);
        Sink = sink ?? new CollectingSink();
        Transport = new TcpTransport(
            ListenPoint.Parse("tcp:127.0.0.1:0"), options ?? new TransportOptions(), _meter, NullLogger<TcpTransport>.Instance, time);
        Transport.Start(Sink);
    }

    public TcpTransport Transport { get; }

    public CollectingSink Sink { get; }

    public MeterRecorder Metrics { get; }

    public async Task<TcpPeer> ConnectAsync()
    {
        var peer = await TcpPeer.ConnectAsync(Transport.LocalEndPoint);
        _peers.Add(peer);
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }

        Metrics.Dispose();
        _meter.Dispose();
    }
}
