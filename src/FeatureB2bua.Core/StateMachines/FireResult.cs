namespace FeatureB2bua.Core.StateMachines;

/// <summary>What <c>Fire</c> did with a trigger; failures are values so the call code can answer per RFC instead of catching.</summary>
public enum FireResult : byte
{
    /// <summary>The machine moved to another state, or re-entered its state (exit and entry actions ran).</summary>
    Transitioned,

    /// <summary>An internal transition's action ran; no exit or entry action ran and the state is unchanged.</summary>
    Internal,

    /// <summary>The current state, or one of its parents, ignores the trigger.</summary>
    Ignored,

    /// <summary>No state in the hierarchy accepts the trigger, or every guard failed; the unhandled-trigger hook was called.</summary>
    Refused,

    /// <summary>More than one guard passed: a configuration error, reported through the hooks instead of guessing.</summary>
    Ambiguous,

    /// <summary>Fired from inside an action: it runs once the current transition has finished (run-to-completion).</summary>
    Queued,
}
