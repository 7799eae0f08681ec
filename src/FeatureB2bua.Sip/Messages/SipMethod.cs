namespace FeatureB2bua.Sip.Messages;

/// <summary>Methods of RFC 3261 and the extensions a B2BUA relays; anything else is <see cref="Unknown"/> (answered 501).</summary>
public enum SipMethod : byte
{
    Unknown,
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Info,
    Update,
    Prack,
    Subscribe,
    Notify,
    Refer,
    Message,
    Publish,
}
