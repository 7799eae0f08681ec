namespace FeatureB2bua.Sip.Transport;

/// <summary>Where transports hand received messages; called on the receive loop, so it must not block.</summary>
public interface IPacketSink
{
    void OnPacket(in ReceivedPacket packet);

    /// <summary>
    /// A datagram over the message size limit, already counted as dropped: a sink that can answer it (513, RFC 3261
    /// §21.5.11) may; by default it is ignored.
    /// </summary>
    void OnOversize(in ReceivedPacket packet)
    {
    }
}
