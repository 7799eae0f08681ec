namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// Sends one RTP packet towards the held party; the span is only valid during the call. It runs on a timer thread,
/// where an exception would end the process, so it must not throw: a failed UDP send is the sender's to count or log.
/// </summary>
public delegate void RtpSend(ReadOnlySpan<byte> packet);
