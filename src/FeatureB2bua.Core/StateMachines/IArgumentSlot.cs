namespace FeatureB2bua.Core.StateMachines;

/// <summary>
/// Lets the machine queue and hand out a trigger's typed argument without knowing its type, so arguments are never boxed.
/// </summary>
internal interface IArgumentSlot
{
    /// <summary>Makes the oldest queued argument the current one.</summary>
    void Advance();

    /// <summary>Forgets the current argument once its trigger has been handled, so it is not kept alive.</summary>
    void Release();

    /// <summary>Drops the oldest queued argument, when its trigger is discarded after an exception.</summary>
    void Discard();
}
