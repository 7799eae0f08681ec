using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Transactions;

namespace FeatureB2bua.Sip.Uas;

/// <summary>
/// The checks a UAS makes before acting on a valid request, in the order of RFC 3261 §8.2: method (405/501),
/// header inspection (416, 482), extensions (420), content (415, 406), then hop count (483). Returns the
/// refusal to send, or null when the request may go on.
/// </summary>
public static class RequestScreening
{
    public static SipMessage? Screen(ServerTransaction transaction, UasCapabilities capabilities, TransactionLayer layer)
    {
        var request = transaction.Request;
        var method = request.Method;
        if (method == SipMethod.Unknown)
        {
            // §8.2.1: unknown method.
            return ResponseBuilder.Create(request, 501, "Not Implemented", TagGenerator.New(), AddAllow(capabilities));
        }

        if (!capabilities.AllowedMethods.Contains(method))
        {
            return ResponseBuilder.Create(request, 405, "Method Not Allowed", TagGenerator.New(), AddAllow(capabilities));
        }

        if (request.RequestUri is not { IsSip: true })
        {
            // §8.2.2.1: an unsupported scheme (RFC 4475 §3.3.2, §3.3.3); the To header is never used instead.
            return ResponseBuilder.Create(request, 416, "Unsupported URI Scheme", TagGenerator.New());
        }

        if (layer.IsMergedRequest(transaction))
        {
            return ResponseBuilder.Create(request, 482, "Loop Detected", TagGenerator.New());
        }

        if (method is not (SipMethod.Ack or SipMethod.Cancel) && Unsupported(request, capabilities) is { Count: > 0 } unsupported)
        {
            // §8.2.2.3; RFC 4475 §3.3.5 lists Proxy-Require too, which a B2BUA fronting a proxy must honour.
            var list = string.Join(", ", unsupported);
            return ResponseBuilder.Create(request, 420, "Bad Extension", TagGenerator.New(), w => w.WriteHeader(HeaderId.Unsupported, list));
        }

        if (ContentRefusal(request, capabilities) is { } refusal)
        {
            return refusal;
        }

        if (request.MaxForwards == 0 && method is not (SipMethod.Options or SipMethod.Register))
        {
            // §16.3 step 2: a request we would have to send on with no hops left. OPTIONS and REGISTER end here
            // (RFC 4475 §3.3.11: an endpoint processes them normally).
            return ResponseBuilder.Create(request, 483, "Too Many Hops", TagGenerator.New());
        }

        return null;
    }

    private static Action<SipMessageWriter> AddAllow(UasCapabilities capabilities) =>
        w => w.WriteHeader(HeaderId.Allow, capabilities.AllowHeader);

    private static List<string> Unsupported(SipMessage request, UasCapabilities capabilities)
    {
        var unsupported = new List<string>();
        foreach (var id in new[] { HeaderId.Require, HeaderId.ProxyRequire })
        {
            foreach (var tag in request.GetValues(id))
            {
                if (!capabilities.SupportedExtensions.Contains(tag, StringComparer.OrdinalIgnoreCase))
                {
                    unsupported.Add(tag);
                }
            }
        }

        return unsupported;
    }

    /// <summary>§8.2.3: a body we cannot read gets 415 with Accept; an Accept we cannot satisfy gets 406 (RFC 4475 §3.3.6, §3.3.15).</summary>
    private static SipMessage? ContentRefusal(SipMessage request, UasCapabilities capabilities)
    {
        // RFC 6086 §4.2: an INFO's body belongs to its Info Package, which the far end understands; we relay it.
        if (request.Method != SipMethod.Info && !request.Body.IsEmpty && request.GetHeader(HeaderId.ContentType) is { } type
            && !capabilities.AcceptedBodyTypes.Contains(MediaType(type), StringComparer.OrdinalIgnoreCase))
        {
            return ResponseBuilder.Create(request, 415, "Unsupported Media Type", TagGenerator.New(), w => w.WriteHeader(HeaderId.Accept, capabilities.AcceptHeader));
        }

        if (request.GetHeader(HeaderId.ContentEncoding) is { Length: > 0 } encoding && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return ResponseBuilder.Create(request, 415, "Unsupported Media Type", TagGenerator.New(), w => w.WriteHeader("Accept-Encoding", "identity"));
        }

        if (request.Method == SipMethod.Invite && request.HasHeader(HeaderId.Accept))
        {
            var accepted = request.GetValues(HeaderId.Accept).Select(MediaType).ToList();
            var satisfiable = accepted.Exists(a => a is "*/*" or "application/*" || capabilities.AcceptedBodyTypes.Contains(a, StringComparer.OrdinalIgnoreCase));
            if (!satisfiable)
            {
                return ResponseBuilder.Create(request, 406, "Not Acceptable", TagGenerator.New(), w => w.WriteHeader(HeaderId.Warning, "399 - \"Only application/sdp bodies are offered\""));
            }
        }

        return null;
    }

    private static string MediaType(string value)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? value : value[..semicolon]).Trim().ToLowerInvariant();
    }
}
