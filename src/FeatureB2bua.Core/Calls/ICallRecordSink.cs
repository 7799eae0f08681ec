namespace FeatureB2bua.Core.Calls;

/// <summary>Where a finished call's CDR goes.</summary>
public interface ICallRecordSink
{
    void Write(CallRecord record);
}
