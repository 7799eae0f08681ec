using FeatureB2bua.Core.StateMachines;

namespace FeatureB2bua.Core.Tests.StateMachines;

public enum PhoneState
{
    OffHook,
    Ringing,
    Connected,
    OnHold,
    Voicemail,
    PhoneDestroyed,
}

public enum PhoneTrigger
{
    CallDialled,
    CallConnected,
    NoAnswer,
    HungUp,
    PlacedOnHold,
    TakenOffHold,
    MuteMicrophone,
    UnmuteMicrophone,
    SetVolume,
    PhoneHurledAgainstWall,
}

/// <summary>
/// Stateless's telephone example, extended so one configuration shows every kind of rule: guarded permits,
/// a reentry, internal transitions (one parameterised), an ignored trigger and a substate.
/// </summary>
internal sealed class PhoneCall
{
    public PhoneCall()
    {
        Machine = new StateMachine<PhoneState, PhoneTrigger>(PhoneState.OffHook);
        Dial = Machine.SetTriggerParameters<string>(PhoneTrigger.CallDialled);
        SetVolume = Machine.SetTriggerParameters<int>(PhoneTrigger.SetVolume);
        Machine.OnUnhandledTrigger((state, trigger) => Unhandled.Add((state, trigger)));

        Machine.Configure(PhoneState.OffHook)
            .OnEntry(() => Log.Add("enter OffHook"))
            .OnExit(() => Log.Add("exit OffHook"))
            .Permit(PhoneTrigger.CallDialled, PhoneState.Ringing)
            .Ignore(PhoneTrigger.HungUp);

        Machine.Configure(PhoneState.Ringing)
            .OnEntry(() => Log.Add("enter Ringing"))
            .OnEntryFrom(Dial, callee =>
            {
                Callee = callee;
                Log.Add($"ringing {callee}");
            })
            .OnExit(() => Log.Add("exit Ringing"))
            .PermitReentry(PhoneTrigger.CallDialled)
            .Permit(PhoneTrigger.CallConnected, PhoneState.Connected)
            .PermitIf(PhoneTrigger.NoAnswer, PhoneState.Voicemail, () => VoicemailEnabled, "voicemail enabled")
            .PermitIf(PhoneTrigger.NoAnswer, PhoneState.OffHook, () => !VoicemailEnabled, "voicemail disabled")
            .Permit(PhoneTrigger.HungUp, PhoneState.OffHook);

        Machine.Configure(PhoneState.Connected)
            .OnEntry(() => Log.Add("enter Connected"))
            .OnExit(() => Log.Add("exit Connected"))
            .InternalTransition(PhoneTrigger.MuteMicrophone, () => Muted = true)
            .InternalTransition(PhoneTrigger.UnmuteMicrophone, () => Muted = false)
            .InternalTransition(SetVolume, volume => Volume = volume)
            .Permit(PhoneTrigger.PlacedOnHold, PhoneState.OnHold)
            .Permit(PhoneTrigger.HungUp, PhoneState.OffHook);

        Machine.Configure(PhoneState.OnHold)
            .SubstateOf(PhoneState.Connected)
            .OnEntry(() => Log.Add("enter OnHold"))
            .OnExit(() => Log.Add("exit OnHold"))
            .Ignore(PhoneTrigger.PlacedOnHold)
            .Permit(PhoneTrigger.TakenOffHold, PhoneState.Connected)
            .Permit(PhoneTrigger.PhoneHurledAgainstWall, PhoneState.PhoneDestroyed);

        Machine.Configure(PhoneState.Voicemail)
            .OnEntry(() => Log.Add("enter Voicemail"))
            .Permit(PhoneTrigger.HungUp, PhoneState.OffHook);
    }

    public StateMachine<PhoneState, PhoneTrigger> Machine { get; }

    public TriggerWithParameters<PhoneTrigger, string> Dial { get; }

    public TriggerWithParameters<PhoneTrigger, int> SetVolume { get; }

    public List<string> Log { get; } = [];

    public List<(PhoneState State, PhoneTrigger Trigger)> Unhandled { get; } = [];

    public bool VoicemailEnabled { get; set; }

    public string? Callee { get; private set; }

    public bool Muted { get; private set; }

    public int Volume { get; private set; }

    /// <summary>Dials and answers, then forgets the log, so a test starts from a connected call.</summary>
    public PhoneCall Connect()
    {
        Machine.Fire(Dial, "bob");
        Machine.Fire(PhoneTrigger.CallConnected);
        Log.Clear();
        return this;
    }
}
