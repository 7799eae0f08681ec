using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Routing;

/// <summary>
/// An upstream on loopback for the routing tests: answers the server's OPTIONS probes with a fixed status, or
/// keeps silent when it has none, and queues every other request for the test.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly UdpSipClient _client = new(new IPEndPoint(IPAddress.Loopback, 9));
    private readonly int? _probeStatus;
    private readonly string _probeReason;
    private readonly Channel<SipMessage> _requests = Channel.CreateUnbounded<SipMessage>();
    private readonly ConcurrentDictionary<string, SipMessage> _probes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="probeStatus">The answer to every OPTIONS; null keeps silent.</param>
    public FakeUpstream(int? probeStatus, string probeReason = "OK")
    {
        _probeStatus = probeStatus;
        _probeReason = probeReason;
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The target to configure in <c>Routing:Routes</c>.</summary>
    public string Uri => $"sip:127.0.0.1:{_client.LocalEndPoint.Port}";

    /// <summary>Distinct probes received, by Call-ID (retransmissions counted once).</summary>
    public IReadOnlyCollection<SipMessage> Probes => [.. _probes.Values];

    public async Task<SipMessage> NextRequestAsync(int timeoutMs = 3000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        return await _requests.Reader.ReadAsync(timeout.Token);
    }

    public bool TryReadRequest(out SipMessage? request) => _requests.Reader.TryRead(out request);

    /// <summary>Answers to the sent-by of the request's Via, where the server listens (RFC 3261 §18.2.2).</summary>
    public void Respond(SipMessage request, int status, string reason) =>
        _client.SendTo(ResponseBuilder.Create(request, status, reason, "up1", w => w.WriteHeader(HeaderId.Contact, $"<{Uri}>")).Raw.ToArray(), IPEndPoint.Parse(request.TopVia!.SentBy));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _client.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            SipMessage? message;
            try
            {
                message = await _client.ReceiveAsync(100);
            }
            catch (System.Net.Sockets.SocketException)
            {
                // An ICMP error from an earlier send on loopback; the socket still works.
                continue;
            }

            if (message is not { IsRequest: true } request)
            {
                continue;
            }

            if (request.MethodName != "OPTIONS")
            {
                _requests.Writer.TryWrite(request);
                continue;
            }

            _probes.TryAdd(request.CallId!, request);
            if (_probeStatus is { } status)
            {
                Respond(request, status, _probeReason);
            }
        }
    }
}
