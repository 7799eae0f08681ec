using System.Collections.Concurrent;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Durability;

/// <summary>
/// One callee socket for any number of concurrent calls, answering by the dialled user: <c>bob</c> rings and answers,
/// <c>bobbusy</c> is busy, <c>bobring</c> rings until cancelled. BYE and CANCEL get their 200 (and the cancelled
/// INVITE its 487), so the B2BUA's side of each call can end cleanly.
/// </summary>
public sealed class AutoCallee : IDisposable
{
    private readonly ConcurrentDictionary<string, SipMessage> _invites = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AutoCallee()
    {
        Socket = new UdpSipClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9));
        _loop = Task.Run(RunAsync);
    }

    public UdpSipClient Socket { get; }

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
            if (await Socket.ReceiveAsync(200) is not { IsRequest: true } request)
            {
                continue;
            }

            switch (request.MethodName)
            {
                case "INVITE" when _invites.TryAdd(request.CallId!, request):
                    OnInvite(request);
                    break;
                case "CANCEL":
                    CallHarness.Responds(Socket, request, 200, "OK");
                    if (_invites.TryGetValue(request.CallId!, out var invite))
                    {
                        CallHarness.Responds(Socket, invite, 487, "Request Terminated");
                    }

                    break;
                case "BYE" or "OPTIONS":
                    CallHarness.Responds(Socket, request, 200, "OK");
                    break;
            }
        }
    }

    private void OnInvite(SipMessage invite)
    {
        switch (invite.To!.Uri.User)
        {
            case "bobbusy":
                CallHarness.Responds(Socket, invite, 486, "Busy Here");
                break;
            case "bobring":
                CallHarness.Responds(Socket, invite, 180, "Ringing");
                break;
            default:
                CallHarness.Responds(Socket, invite, 180, "Ringing");
                CallHarness.Responds(Socket, invite, 200, "OK", body: CallHarness.AnswerSdp);
                break;
        }
    }
}
