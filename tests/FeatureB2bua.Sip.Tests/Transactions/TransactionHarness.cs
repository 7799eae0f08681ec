using System.Net;
using System.Text;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Sip.Tests.Transactions;

/// <summary>A transaction layer over a recording "wire" and a fake clock, with a TU that records what it is told.</summary>
internal sealed class TransactionHarness : ITransactionUser, IClientTransactionUser
{
    public static readonly IPEndPoint Peer = new(IPAddress.Parse("192.0.2.10"), 5062);

    public TransactionHarness()
    {
        Wire = new RecordingWire(() => Elapsed);
        Layer = new TransactionLayer(Wire, Clock, new SipTimerOptions(), new SipMetrics(), NullLogger<TransactionLayer>.Instance)
        {
            User = this,
        };
    }

    public ManualTimeProvider Clock { get; } = new();

    public RecordingWire Wire { get; }

    public TransactionLayer Layer { get; }

    public List<SipMessage> RequestsUp { get; } = [];

    public List<SipMessage> ResponsesUp { get; } = [];

    public List<SipMessage> AcksUp { get; } = [];

    public List<string> Events { get; } = [];

    public List<ServerTransaction> ServerTransactions { get; } = [];

    public DateTimeOffset Start { get; } = new ManualTimeProvider().Now;

    public double Elapsed => (Clock.Now - Start).TotalSeconds;

    public static SipMessage Parse(string text, TransportProtocol protocol = TransportProtocol.Udp)
    {
        var message = SipParser.Parse(Encoding.ASCII.GetBytes(text.ReplaceLineEndings("\r\n")), out var rejection)!;
        Assert.False(rejection.IsRejected, rejection.ReasonPhrase);
        message.Source = new MessageSource(protocol, Peer, new IPEndPoint(IPAddress.Loopback, 5060), null);
        return message;
    }

    public static SipMessage Request(string method, string branch = "z9hG4bKabc123", TransportProtocol protocol = TransportProtocol.Udp, string? toTag = null) => Parse(
        $"""
        {method} sip:bob@example.test SIP/2.0
        Via: SIP/2.0/{protocol.ToString().ToUpperInvariant()} 192.0.2.10:5062;branch={branch}
        Max-Forwards: 70
        From: <sip:alice@example.test>;tag=a1
        To: <sip:bob@example.test>{(toTag is null ? string.Empty : ";tag=" + toTag)}
        Call-ID: call-1@192.0.2.10
        CSeq: 1 {method}
        Content-Length: 0


        """, protocol);

    public static SipMessage Response(SipMessage request, int status, string reason = "Status", string toTag = "b1") =>
        ResponseBuilder.Create(request, status, reason, toTag);

    public ClientTransaction SendRequest(SipMessage request, TransportProtocol protocol = TransportProtocol.Udp) =>
        Layer.SendRequest(request, new SipDestination(protocol, Peer), this);

    public void Advance(double seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));

    public void OnRequest(ServerTransaction transaction, SipMessage request)
    {
        RequestsUp.Add(request);
        ServerTransactions.Add(transaction);
    }

    public void OnAck(SipMessage ack) => AcksUp.Add(ack);

    public void OnStrayResponse(SipMessage response) => Events.Add("stray " + response.StatusCode);

    public void OnServerTimeout(ServerTransaction transaction) => Events.Add("server timeout");

    public void OnResponse(ClientTransaction transaction, SipMessage response) => ResponsesUp.Add(response);

    public void OnTimeout(ClientTransaction transaction) => Events.Add("timeout");

    public void OnTransportError(ClientTransaction transaction) => Events.Add("transport error");

    /// <summary>Records each message with the fake-clock time it was sent; the clock fires timers exactly on time.</summary>
    internal sealed class RecordingWire(Func<double> now) : ISipSender
    {
        private readonly List<(double At, SipMessage Message)> _sent = [];

        public SendResult NextResult { get; set; } = SendResult.Sent;

        public IReadOnlyList<SipMessage> Sent => _sent.Select(s => s.Message).ToList();

        /// <summary>Start lines of everything sent, in order.</summary>
        public List<string> Lines => _sent.Select(s => FirstLine(s.Message)).ToList();

        public List<double> TimesOf(string firstLine) => _sent.Where(s => FirstLine(s.Message) == firstLine).Select(s => Math.Round(s.At, 3)).ToList();

        public ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> message, SipDestination destination)
        {
            _sent.Add((now(), SipParser.Parse(message.Span, out _)!));
            return ValueTask.FromResult(NextResult);
        }

        private static string FirstLine(SipMessage message)
        {
            var text = message.ToString();
            return text[..text.IndexOf('\r', StringComparison.Ordinal)];
        }
    }
}
