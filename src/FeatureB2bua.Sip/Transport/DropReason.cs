namespace FeatureB2bua.Sip.Transport;

/// <summary>Why a received message never reached the sink (the reason tag of b2bua_transport_messages_dropped).</summary>
internal enum DropReason : byte
{
    Oversize,
    Framing,
    SinkError,
}
