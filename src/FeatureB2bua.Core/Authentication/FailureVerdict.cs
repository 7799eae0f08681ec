namespace FeatureB2bua.Core.Authentication;

/// <summary>What counting one failed authentication did.</summary>
public enum FailureVerdict : byte
{
    /// <summary>Counted; the limit is not reached.</summary>
    Counted,

    /// <summary>Counted, and it reached the limit: the source or user is banned from now on.</summary>
    BanStarted,

    /// <summary>A ban started while this attempt was being checked: not counted, answered as banned.</summary>
    AlreadyBanned,
}
