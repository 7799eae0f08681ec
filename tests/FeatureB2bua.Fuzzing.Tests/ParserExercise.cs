using FeatureB2bua.Sip.Auth;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Sip.Parsing;
using FeatureB2bua.Sip.Sdp;

namespace FeatureB2bua.Fuzzing.Tests;

/// <summary>
/// Everything the server reads from an incoming message, done in-process: parse, validate, every typed header view,
/// digest values, the SDP body and its rewrite, and the 400 built from a rejected request. Each of these promises to
/// answer malformed input with null or a rejection, never an exception.
/// </summary>
public static class ParserExercise
{
    private static readonly HeaderId[] AllHeaders = Enum.GetValues<HeaderId>();
    private static readonly HeaderId[] Credentials = [HeaderId.Authorization, HeaderId.ProxyAuthorization];
    private static readonly HeaderId[] Challenges = [HeaderId.WwwAuthenticate, HeaderId.ProxyAuthenticate];

    /// <summary>Returns the number of things it read, so the JIT cannot drop the reads as unused.</summary>
    public static int Run(ReadOnlySpan<byte> bytes)
    {
        var message = SipParser.Parse(bytes, out var rejection);
        if (message is null)
        {
            return 0;
        }

        if (!rejection.IsRejected)
        {
            rejection = SipMessageValidator.Validate(message);
        }

        var seen = rejection.IsRejected ? 1 : 0;
        seen += message.IsRequest ? message.MethodName.Length + (message.RequestUri?.Host.Length ?? 0) : message.StatusCode + message.ReasonPhrase.Length;
        seen += ReadHeaders(message);
        seen += ReadDigest(message);
        seen += ReadSdp(message.Body);
        if (message.IsRequest && message.TopVia is not null)
        {
            // What the stack sends back for a malformed request (RFC 3261 §8.2, §8.2.6).
            seen += ResponseBuilder.Create(message, 400, "Bad Request", "fz").Raw.Length;
        }

        return seen + message.ToString().Length;
    }

    private static int ReadHeaders(SipMessage message)
    {
        var seen = 0;
        if (message.TopVia is { } top)
        {
            seen += top.SentBy.Length + (top.Branch?.Length ?? 0) + (top.RPort ?? 0) + (top.HasRPort ? 1 : 0) + (top.IsRfc3261Branch ? 1 : 0) + top.ToString().Length;
        }

        seen += message.Vias?.Sum(v => v.ToString().Length + (v.Received?.Length ?? 0) + (v.MAddr?.Length ?? 0)) ?? 0;
        seen += new[] { message.From, message.To }.Sum(a => a is null ? 0 : a.ToString().Length + (a.Tag?.Length ?? 0) + (a.Uri.Port ?? 0) + (a.Uri.User?.Length ?? 0) + (a.Uri.Transport?.Length ?? 0));
        seen += (message.CallId?.Length ?? 0) + (int)(message.CSeq?.Number ?? 0) + (message.CSeq?.ToString().Length ?? 0);
        seen += message.Contacts?.Sum(c => (c.Q ?? 0) + (int)(c.Expires ?? 0) + (c.Address?.ToString().Length ?? 0)) ?? 0;
        seen += message.MaxForwards + (int)(message.Expires ?? 0) + (int)(message.MinExpires ?? 0) + (int)(message.MinSessionExpires ?? 0);
        seen += message.SessionExpires?.ToString().Length ?? 0;
        seen += (message.Routes?.Sum(r => r.ToString().Length + (r.Uri.IsLooseRouter ? 1 : 0)) ?? 0) + (message.RecordRoutes?.Count ?? 0);
        foreach (var id in AllHeaders)
        {
            seen += message.GetHeaderLines(id).Count + message.GetValues(id).Count;
        }

        return seen;
    }

    private static int ReadDigest(SipMessage message)
    {
        var seen = 0;
        foreach (var id in Credentials)
        {
            if (message.GetCredentials(id, out _) is { } credentials)
            {
                seen += credentials.Format().Length + (int)(credentials.NonceCount ?? 0);
            }
        }

        foreach (var id in Challenges)
        {
            seen += message.GetChallenge(id)?.QopOptions.Count ?? 0;
        }

        return seen;
    }

    private static int ReadSdp(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || !SdpParser.TryParse(body, out var sdp, out var error))
        {
            return body.Length;
        }

        var seen = error?.Length ?? 0;
        foreach (var media in sdp.MediaDescriptions)
        {
            seen += media.Port + (media.PortCount ?? 0) + (media.Ptime ?? 0) + (media.Rtcp?.Port ?? 0) + media.GetRtpMaps().Sum(m => m.ClockRate);
            seen += (int)sdp.GetEffectiveDirection(media) + (sdp.GetEffectiveConnection(media)?.Host.Length ?? 0);
        }

        // The anchor rewrites and re-sends the description: what it writes must parse again.
        sdp.IncrementSessionVersion();
        var written = SdpWriter.ToArray(sdp);
        return SdpParser.TryParse(written, out _, out var rewriteError)
            ? seen + written.Length
            : throw new InvalidOperationException($"SDP written from a parsed body does not parse again: {rewriteError}");
    }
}
