using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Signalling;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Sip.Uas;

namespace FeatureB2bua.Hosting;

/// <summary>Starts the stack with the server core on top; on shutdown closes the transports (the container disposes the rest).</summary>
internal sealed class SipHostedService(
    SipStack stack,
    UasCapabilities capabilities,
    DigestAuthenticator authenticator,
    Registrar registrar,
    CallRegistry calls,
    Drain drain,
    ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            stack.Start(new SipServerCore(stack.Transactions, capabilities, authenticator, registrar, calls, drain, loggers.CreateLogger<SipServerCore>()));
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // Say which listen point, in words an operator can act on, instead of a bare socket error.
            var points = string.Join(", ", stack.Transports.Select(t => t.ListenPoint));
            throw new InvalidOperationException($"Cannot bind the SIP listen points ({points}): {ex.Message}. Is another SIP server running? Change Sip:Listen.", ex);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => stack.DisposeAsync().AsTask();
}
