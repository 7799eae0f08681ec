namespace FeatureB2bua.Sip.Transport;

/// <summary>What the transaction layer sends through; the stack implements it over real transports, tests over a recorder.</summary>
public interface ISipSender
{
    ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> message, SipDestination destination);
}
