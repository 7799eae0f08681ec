namespace FeatureB2bua.Core.Tracing;

/// <summary>
/// One SIP message of a traced call as the B2BUA received or sent it. <see cref="Direction"/> is <c>in</c> towards the
/// B2BUA; <see cref="Label"/> the method or the status code and reason; <see cref="Text"/> the whole message with the
/// Authorization and Proxy-Authorization values redacted.
/// </summary>
public sealed record TracedMessage(
    long Seq,
    DateTimeOffset At,
    string Leg,
    string Direction,
    string Transport,
    string Local,
    string Remote,
    string Label,
    string CSeq,
    string Text);
