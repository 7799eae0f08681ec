using System.Net;
using System.Threading.Channels;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Sip.Tests.Transport;

/// <summary>One received message, copied out of the transport's pooled buffer.</summary>
internal sealed record Captured(byte[] Data, TransportProtocol Protocol, IPEndPoint Remote, IPEndPoint Local, IStreamConnection? Connection)
{
    public string Text => SipText.Text(Data);
}

/// <summary>Queues every packet; <see cref="Throw"/> lets a test make the sink fail on chosen packets.</summary>
internal sealed class CollectingSink : IPacketSink
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(5);
    private readonly Channel<Captured> _packets = Channel.CreateUnbounded<Captured>();

    public Func<Captured, bool>? Throw { get; init; }

    public void OnPacket(in ReceivedPacket packet)
    {
        var captured = new Captured(packet.Data.ToArray(), packet.Protocol, packet.Remote, packet.Local, packet.Connection);
        if (Throw?.Invoke(captured) == true)
        {
            throw new InvalidOperationException("sink failure requested by the test");
        }

        _packets.Writer.TryWrite(captured);
    }

    public async Task<Captured> NextAsync() => await _packets.Reader.ReadAsync().AsTask().WaitAsync(WaitLimit);

    public bool TryNext(out Captured? packet) => _packets.Reader.TryRead(out packet);
}
