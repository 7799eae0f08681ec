using System.Net;

namespace FeatureB2bua.Sip.Transport;

/// <summary>An open TCP (later TLS) connection that messages can be written to.</summary>
public interface IStreamConnection
{
    long Id { get; }

    IPEndPoint Remote { get; }

    bool IsOpen { get; }

    ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);
}
