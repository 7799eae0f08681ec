using FeatureB2bua.Sip.Headers;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// RFC 4028 state of one leg: the session interval and who refreshes. The refresher parameter is relative to the
/// transaction that carries it (§4): "uac" in a request we send means us; "uac" in a request we receive means the
/// peer. <see cref="WeRefresh"/> holds the answer once, in our terms.
/// </summary>
internal sealed class SessionTimer(uint seconds, bool weRefresh)
{
    public uint Seconds { get; private set; } = seconds;

    public bool WeRefresh { get; private set; } = weRefresh;

    public ITimer? Timer { get; set; }

    /// <summary>For a request we send on this leg.</summary>
    public string InRequest => new SessionExpiresHeader(Seconds, WeRefresh ? SessionRefresher.Uac : SessionRefresher.Uas).ToString();

    /// <summary>For our response to a request of this leg.</summary>
    public string InResponse => new SessionExpiresHeader(Seconds, WeRefresh ? SessionRefresher.Uas : SessionRefresher.Uac).ToString();

    /// <summary>
    /// §10: the refresher refreshes at half the interval; the other side gives up at the interval minus the lesser of
    /// 32 s and a third of it, so that a refresh still in flight is not mistaken for silence.
    /// </summary>
    public TimeSpan NextDue => WeRefresh
        ? TimeSpan.FromSeconds(Seconds / 2.0)
        : TimeSpan.FromSeconds(Seconds - Math.Min(32, Seconds / 3.0));

    /// <summary>A request from the peer that names the interval (a refresh, §9): its values win.</summary>
    public void AcceptFromPeerRequest(SessionExpiresHeader header)
    {
        Seconds = header.Seconds;
        if (header.Refresher != SessionRefresher.Unspecified)
        {
            WeRefresh = header.Refresher == SessionRefresher.Uas;
        }
    }

    /// <summary>The peer's 2xx to our request (§7.2): it settles the interval and the refresher.</summary>
    public void AcceptFromPeerResponse(SessionExpiresHeader header)
    {
        Seconds = header.Seconds;
        if (header.Refresher != SessionRefresher.Unspecified)
        {
            WeRefresh = header.Refresher == SessionRefresher.Uac;
        }
    }

    /// <summary>The peer's 422 named a larger minimum (RFC 4028 §7.3).</summary>
    public void RaiseTo(uint seconds) => Seconds = Math.Max(Seconds, seconds);

    public void Stop()
    {
        Timer?.Dispose();
        Timer = null;
    }
}
