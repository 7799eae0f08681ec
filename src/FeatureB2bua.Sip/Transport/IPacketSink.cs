namespace FeatureB2bua.Sip.Transport;

/// <summary>Where transports hand received messages; called on the receive loop, so it must not block.</summary>
public interface IPacketSink
{
    void OnPacket(in ReceivedPacket packet);
}
