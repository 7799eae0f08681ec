using System.ComponentModel.DataAnnotations;

namespace FeatureB2bua.Core.Tracing;

/// <summary>The trace settings of the <c>Console</c> section (docs/console.md).</summary>
public sealed class TraceOptions
{
    public const string Section = "Console";

    /// <summary>Record the SIP messages of every call for the console; off, nothing is copied at all.</summary>
    public bool Trace { get; set; } = true;

    /// <summary>Ended calls whose trace is kept, the oldest ended going first; calls in progress are always kept.</summary>
    [Range(1, 100_000)]
    public int TraceCalls { get; set; } = 200;

    /// <summary>Messages kept per call: the first half and the latest half, what lies between counted as left out.</summary>
    [Range(2, 100_000)]
    public int TraceMessagesPerCall { get; set; } = 200;

    /// <summary>Messages waiting to be filed; when the filing falls this far behind, the oldest waiting are dropped and counted.</summary>
    [Range(16, 1_000_000)]
    public int TraceQueue { get; set; } = 8192;
}
