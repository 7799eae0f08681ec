namespace FeatureB2bua.Sip.Messages;

/// <summary>A refusal with the header at fault, which names it in the reason phrase ("400 Bad CSeq").</summary>
public readonly record struct SipRejection(SipRejectReason Reason, HeaderId Header = HeaderId.Unknown)
{
    public static SipRejection None => default;

    public bool IsRejected => Reason != SipRejectReason.None;

    public int StatusCode => Reason switch
    {
        SipRejectReason.VersionNotSupported => 505,
        SipRejectReason.MessageTooLarge => 513,
        _ => 400,
    };

    public string ReasonPhrase => Reason switch
    {
        SipRejectReason.None => "OK",
        SipRejectReason.BadStartLine => "Bad Request-Line",
        SipRejectReason.BadRequestUri => "Bad Request-URI",
        SipRejectReason.VersionNotSupported => "Version Not Supported",
        SipRejectReason.MalformedHeaderLine => "Malformed Header Line",
        SipRejectReason.MissingHeader => "Missing " + HeaderNames.GetName(Header),
        SipRejectReason.BadHeader => "Bad " + HeaderNames.GetName(Header),
        SipRejectReason.DuplicateHeader => "Duplicate " + HeaderNames.GetName(Header),
        SipRejectReason.BodyShorterThanContentLength => "Body Shorter Than Content-Length",
        SipRejectReason.CSeqMethodMismatch => "CSeq Method Mismatch",
        SipRejectReason.NoHeaderTerminator => "Missing Empty Line After Headers",
        SipRejectReason.TooManyHeaders => "Too Many Headers",
        SipRejectReason.TooManyVias => "Too Many Via Headers",
        SipRejectReason.MessageTooLarge => "Message Too Large",
        _ => "Bad Request",
    };
}
