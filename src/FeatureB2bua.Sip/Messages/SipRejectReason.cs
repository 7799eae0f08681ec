namespace FeatureB2bua.Sip.Messages;

/// <summary>Why a message was refused. A request so refused is answered (400, 505 for the version, 513 for the size) when its Via can be read, otherwise dropped and counted.</summary>
public enum SipRejectReason : byte
{
    None,
    BadStartLine,
    BadRequestUri,
    VersionNotSupported,
    MalformedHeaderLine,
    MissingHeader,
    BadHeader,
    DuplicateHeader,
    BodyShorterThanContentLength,
    CSeqMethodMismatch,
    NoHeaderTerminator,
    TooManyHeaders,
    TooManyVias,
    MessageTooLarge,
}
