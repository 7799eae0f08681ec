namespace FeatureB2bua.Fuzzing.Tests.Mutation;

/// <summary>The named ways <see cref="MessageMutator"/> damages a message; a fuzz case records which one it used.</summary>
public enum MutationStrategy
{
    /// <summary>One to eight single-bit flips anywhere.</summary>
    BitFlip,

    /// <summary>Delimiters, control and high bytes inserted at random places.</summary>
    ByteInsert,

    /// <summary>Short runs of bytes deleted.</summary>
    ByteDelete,

    /// <summary>Cut in the start line, mid-header, between CR and LF, before the empty line, or inside the body.</summary>
    Truncate,

    /// <summary>Via, Content-Length, CSeq, Call-ID, From or To repeated, or a second tag on From/To.</summary>
    DuplicateHeader,

    /// <summary>Numbers past their range: CSeq 2^32, Content-Length 10^20, Max-Forwards -1, Expires overflow, port 70000.</summary>
    HugeNumber,

    /// <summary>Invalid and overlong UTF-8, NULs, %-escapes, bare LF or CR, tabs, folding, long tokens, broken IPv6 literals.</summary>
    OddEncoding,

    /// <summary>An SDP body with bad c=/m= lines, huge port counts or a=rtpmap garbage.</summary>
    Sdp,

    /// <summary>Authorization and WWW-Authenticate values with broken quoting, overflowing nc, odd algorithms.</summary>
    Digest,
}
