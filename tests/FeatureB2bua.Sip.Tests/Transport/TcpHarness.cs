using System.Diagnostics.Metrics;
using System.Security.Authentication;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Sip.Tests.Transport;

/// <summary>A started loopback TcpTransport (TLS when given a context) with its sink, metrics and the peers a test opens against it.</summary>
internal sealed class TcpHarness : IAsyncDisposable
{
    private readonly Meter _meter = new("tcp-transport-tests");
    private readonly List<TcpPeer> _peers = [];

    public TcpHarness(TransportOptions? options = null, TimeProvider? time = null, CollectingSink? sink = null, TlsContext? tls = null)
    {
        Metrics = new MeterRecorder(_meter);
        Sink = sink ?? new CollectingSink();
        Transport = new TcpTransport(
            ListenPoint.Parse(tls is null ? "tcp:127.0.0.1:0" : "tls:127.0.0.1:0"), options ?? new TransportOptions(), _meter, NullLogger<TcpTransport>.Instance, time, tls);
        Transport.Start(Sink);
    }

    public TcpTransport Transport { get; }

    public CollectingSink Sink { get; }

    public MeterRecorder Metrics { get; }

    public async Task<TcpPeer> ConnectAsync() => Keep(await TcpPeer.ConnectAsync(Transport.LocalEndPoint));

    /// <summary>A peer that completes a TLS handshake offering only <paramref name="protocols"/>, trusting <paramref name="server"/>.</summary>
    public async Task<TcpPeer> ConnectTlsAsync(TestCertificate server, SslProtocols protocols = SslProtocols.Tls12 | SslProtocols.Tls13) =>
        Keep(await TcpPeer.ConnectTlsAsync(Transport.LocalEndPoint, server, protocols));

    private TcpPeer Keep(TcpPeer peer)
    {
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
