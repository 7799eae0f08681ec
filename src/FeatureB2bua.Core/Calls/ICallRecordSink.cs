namespace FeatureB2bua.Core.Calls;

/// <summary>
/// Where a call journals itself and, once finished, writes its CDR. Each task completes when what was written is
/// committed, or when it was given up (dropped and counted); it never faults, so a call can wait for it and go on.
/// </summary>
public interface ICallRecordSink
{
    /// <summary>The call as it stands now (started, or answered) into the journal of open calls.</summary>
    Task Journal(OpenCall call);

    Task Write(CallRecord record);
}
