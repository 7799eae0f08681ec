using System.Collections.Concurrent;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Core.Tests;

/// <summary>What a transaction layer sent, parsed, with where it went; <see cref="Result"/> decides what the sends report.</summary>
internal sealed class RecordingSender : ISipSender
{
    private readonly ConcurrentQueue<(SipMessage, SipDestination)> _sent = new();

    public SendResult Result { get; set; } = SendResult.Sent;

    public IReadOnlyList<(SipMessage Message, SipDestination Destination)> Sent => [.. _sent];

    public ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> message, SipDestination destination)
    {
        if (Result == SendResult.Sent)
        {
            _sent.Enqueue((SipParser.Parse(message.Span, out _)!, destination));
        }

        return ValueTask.FromResult(Result);
    }
}
