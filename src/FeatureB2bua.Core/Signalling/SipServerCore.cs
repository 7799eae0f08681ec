using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Uas;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Signalling;

/// <summary>
/// The transaction user: screens each new request (RFC 3261 §8.2), answers what the server itself owns
/// (OPTIONS, CANCEL) and hands the rest to the request handler. Until the registrar and the call core
/// exist, nothing is known about any user, so every other request is answered 404 (out of dialog) or
/// 481 (in a dialog we do not have).
/// </summary>
public sealed class SipServerCore : ITransactionUser
{
    private readonly TransactionLayer _layer;
    private readonly UasCapabilities _capabilities;
    private readonly ILogger<SipServerCore> _logger;

    public SipServerCore(TransactionLayer layer, UasCapabilities capabilities, ILogger<SipServerCore> logger)
    {
        _layer = layer;
        _capabilities = capabilities;
        _logger = logger;
    }

    public void OnRequest(ServerTransaction transaction, SipMessage request)
    {
        if (RequestScreening.Screen(transaction, _capabilities, _layer) is { } refusal)
        {
            transaction.Respond(refusal);
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Options:
                transaction.Respond(OptionsResponse(request));
                break;
            case SipMethod.Cancel:
                Cancel(transaction, request);
                break;
            case SipMethod.Bye or SipMethod.Info or SipMethod.Update when request.To?.Tag is not null:
                transaction.Respond(ResponseBuilder.Create(request, 481, "Call/Transaction Does Not Exist", TagGenerator.New()));
                break;
            default:
                transaction.Respond(ResponseBuilder.Create(request, 404, "Not Found", TagGenerator.New()));
                break;
        }
    }

    public void OnAck(SipMessage ack) => SignallingLog.UnmatchedAck(_logger, ack.CallId);

    public void OnStrayResponse(SipMessage response) => SignallingLog.StrayResponse(_logger, response.StatusCode, response.CallId);

    public void OnServerTimeout(ServerTransaction transaction) => SignallingLog.NoAck(_logger, transaction.Request.CallId);

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
        if (invite.State == TransactionState.Proceeding)
        {
            invite.Respond(ResponseBuilder.Create(invite.Request, 487, "Request Terminated", TagGenerator.New()));
        }
    }
}
