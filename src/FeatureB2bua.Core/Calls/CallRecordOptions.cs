using System.ComponentModel.DataAnnotations;

namespace FeatureB2bua.Core.Calls;

/// <summary>The <c>Cdr</c> configuration section.</summary>
public sealed class CallRecordOptions
{
    public const string Section = "Cdr";

    /// <summary>CDRs waiting for the store; when the store falls this far behind, further CDRs are dropped and counted rather than holding calls up.</summary>
    [Range(1, int.MaxValue)]
    public int QueueSize { get; set; } = 10_000;
}
