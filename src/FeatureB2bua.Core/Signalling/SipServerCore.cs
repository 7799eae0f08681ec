using FeatureB2bua.Core.Authentication;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Uas;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Signalling;

/// <summary>
/// The transaction user: screens each new request (RFC 3261 §8.2), answers what the server itself owns
/// (OPTIONS, CANCEL), authenticates REGISTER (401) and every other out-of-dialog request (407) from an
/// untrusted source, hands REGISTER to the registrar and INVITE to the call core, and routes requests inside a
/// dialog (BYE, re-INVITE, UPDATE, INFO, OPTIONS), ACK and CANCEL to the call they belong to. While the node
/// drains, <see cref="Drain"/> says which new requests are refused.
/// </summary>
public sealed class SipServerCore : ITransactionUser
{
    private readonly TransactionLayer _layer;
    private readonly UasCapabilities _capabilities;
    private readonly DigestAuthenticator _authenticator;
    private readonly Registration.Registrar _registrar;
    private readonly CallRegistry _calls;
    private readonly Drain _drain;
    private readonly ILogger<SipServerCore> _logger;

    public SipServerCore(
        TransactionLayer layer,
        UasCapabilities capabilities,
        DigestAuthenticator authenticator,
        Registration.Registrar registrar,
        CallRegistry calls,
        Drain drain,
        ILogger<SipServerCore> logger)
    {
        _calls = calls;
        _drain = drain;
        _layer = layer;
        _capabilities = capabilities;
        _authenticator = authenticator;
        _registrar = registrar;
        _logger = logger;
    }

    public void OnRequest(ServerTransaction transaction, SipMessage request)
    {
        if (RequestScreening.Screen(transaction, _capabilities, _layer) is { } refusal)
        {
            transaction.Respond(refusal);
            return;
        }

        if (_drain.Refusal(request) is { } draining)
        {
            transaction.Respond(draining);
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Bye or SipMethod.Info or SipMethod.Update or SipMethod.Invite or SipMethod.Options when request.To?.Tag is not null:
                if (_calls.FindByCallId(request.CallId) is { } call)
                {
                    call.OnInDialogRequest(transaction, request);
                }
                else
                {
                    // §12.2.2: a request inside a dialog we do not have.
                    transaction.Respond(ResponseBuilder.Create(request, 481, "Call/Transaction Does Not Exist", null));
                }

                break;
            case SipMethod.Options:
                transaction.Respond(OptionsResponse(request));
                break;
            case SipMethod.Cancel:
                Cancel(transaction, request);
                break;
            default:
                _ = AuthenticateThenAsync(transaction, request);
                break;
        }
    }

    public void OnAck(SipMessage ack)
    {
        if (_calls.FindByCallId(ack.CallId) is { } call)
        {
            call.OnAck(ack);
            return;
        }

        SignallingLog.UnmatchedAck(_logger, ack.CallId);
    }

    public void OnStrayResponse(SipMessage response)
    {
        if (_calls.FindByCallId(response.CallId) is { } call)
        {
            call.OnStrayResponse(response);
            return;
        }

        SignallingLog.StrayResponse(_logger, response.StatusCode, response.CallId);
    }

    public void OnServerTimeout(ServerTransaction transaction) => SignallingLog.NoAck(_logger, transaction.Request.CallId);

    /// <summary>
    /// RFC 3261 §22: REGISTER is challenged by the registrar (401, WWW-Authenticate), anything else by the
    /// server as a proxy would be (407, Proxy-Authenticate). Runs off the receive loop: stores are async.
    /// </summary>
    private async Task AuthenticateThenAsync(ServerTransaction transaction, SipMessage request)
    {
        try
        {
            var register = request.Method == SipMethod.Register;
            if (register && _registrar.Precheck(request) is { } refusal)
            {
                transaction.Respond(refusal);
                return;
            }

            var outcome = await _authenticator.AuthenticateAsync(request, proxy: !register).ConfigureAwait(false);
            var response = outcome.Verdict switch
            {
                AuthVerdict.Banned => ResponseBuilder.Create(request, 403, "Forbidden", TagGenerator.New()),
                AuthVerdict.Malformed => ResponseBuilder.Create(request, 400, register ? "Bad Authorization" : "Bad Proxy-Authorization", TagGenerator.New()),
                AuthVerdict.Challenge => ResponseBuilder.Create(
                    request,
                    register ? 401 : 407,
                    register ? "Unauthorized" : "Proxy Authentication Required",
                    TagGenerator.New(),
                    _authenticator.WriteChallenges(proxy: !register, outcome.Stale)),
                _ when register => await _registrar.RegisterAsync(request, outcome.User).ConfigureAwait(false),
                // A drain that started while this INVITE was being authenticated refuses it still.
                _ when request.Method == SipMethod.Invite => _drain.Refusal(request),
                _ => ResponseBuilder.Create(request, 404, "Not Found", TagGenerator.New()),
            };
            if (response is null)
            {
                _calls.Start(transaction, outcome.User);
                return;
            }

            transaction.Respond(response);
        }
        catch (Exception ex)
        {
            // One request's failure (a store error, say) must not leave its transaction unanswered.
            SignallingLog.RequestFailed(_logger, ex, request.MethodName, request.CallId);
            transaction.Respond(ResponseBuilder.Create(request, 500, "Server Internal Error", TagGenerator.New(), w => w.WriteHeader(HeaderId.RetryAfter, 5)));
        }
    }

    /// <summary>§11.2: the answer to OPTIONS lists what we allow, accept and support.</summary>
    private SipMessage OptionsResponse(SipMessage request) => ResponseBuilder.Create(request, 200, "OK", TagGenerator.New(), w =>
    {
        w.WriteHeader(HeaderId.Allow, _capabilities.AllowHeader);
        w.WriteHeader(HeaderId.Accept, _capabilities.AcceptHeader);
        w.WriteHeader(HeaderId.Supported, _capabilities.SupportedHeader);
        w.WriteHeader("Accept-Encoding", "identity");
        w.WriteHeader("Accept-Language", "en");
    });

    /// <summary>
    /// RFC 3261 §9.2: a CANCEL matching no transaction gets 481; otherwise 200, and an INVITE still unanswered
    /// gets 487. After a final response the CANCEL changes nothing.
    /// </summary>
    private void Cancel(ServerTransaction transaction, SipMessage cancel)
    {
        var invite = _layer.FindInviteForCancel(cancel);
        if (invite is null)
        {
            transaction.Respond(ResponseBuilder.Create(cancel, 481, "Call/Transaction Does Not Exist", TagGenerator.New()));
            return;
        }

        transaction.Respond(ResponseBuilder.Create(cancel, 200, "OK", TagGenerator.New()));
        if (_calls.FindByInvite(invite) is { } call)
        {
            call.Cancel(cancel);
        }
        else if (invite.Request.To?.Tag is not null && _calls.FindByCallId(invite.Request.CallId) is { } inDialog)
        {
            inDialog.CancelReInvite(invite);
        }
        else if (invite.State == TransactionState.Proceeding)
        {
            invite.Respond(ResponseBuilder.Create(invite.Request, 487, "Request Terminated", TagGenerator.New()));
        }
    }
}
