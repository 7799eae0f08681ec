using System.Collections.Concurrent;
using System.Net;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>
/// A phone registered in the shared store that answers calls from whichever node sends them: each response goes to the
/// sent-by of the request's top Via (RFC 3261 §18.2.2), the node. It records which nodes invited it.
/// </summary>
public sealed class RegisteredPhone : IDisposable
{
    private readonly ConcurrentDictionary<IPEndPoint, bool> _invitedBy = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public UdpSipClient Socket { get; } = new(new IPEndPoint(IPAddress.Loopback, 9));

    /// <summary>The SIP addresses of the nodes that sent this phone an INVITE.</summary>
    public IReadOnlyCollection<IPEndPoint> InvitedBy => [.. _invitedBy.Keys];

    /// <summary>Starts answering; before it, the socket is the registering phone's own.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(2));
        Socket.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (await Socket.ReceiveAsync(200) is not { IsRequest: true, TopVia: { } via } request)
            {
                continue;
            }

            Socket.Server = new IPEndPoint(IPAddress.Parse(via.Host), via.Port ?? 5060);
            switch (request.MethodName)
            {
                case "INVITE":
                    _invitedBy.TryAdd(Socket.Server, true);
                    CallHarness.Responds(Socket, request, 180, "Ringing", user: "carol");
                    CallHarness.Responds(Socket, request, 200, "OK", body: CallHarness.AnswerSdp, user: "carol");
                    break;
                case "BYE" or "OPTIONS":
                    CallHarness.Responds(Socket, request, 200, "OK", user: "carol");
                    break;
            }
        }
    }
}
