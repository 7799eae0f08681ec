namespace FeatureB2bua.Sip.Transport;

/// <summary>What <see cref="StreamFramer.TryFrame"/> found at the start of a stream buffer.</summary>
internal enum FrameResult : byte
{
    /// <summary>Not enough bytes yet; consume nothing.</summary>
    NeedMore,

    /// <summary>One whole message of the reported length starts the buffer.</summary>
    Message,

    /// <summary>A CRLFCRLF keep-alive ping of the reported length; answer with one CRLF (RFC 5626 §4.4.1).</summary>
    KeepAlivePing,

    /// <summary>A lone CRLF before a start line (a keep-alive pong, or RFC 3261 §7.5 padding); skip it.</summary>
    StrayCrlf,

    /// <summary>The header block or the whole message exceeds the size limit.</summary>
    Oversize,

    /// <summary>Content-Length missing, malformed or contradictory: the stream cannot be framed any more.</summary>
    BadContentLength,
}
