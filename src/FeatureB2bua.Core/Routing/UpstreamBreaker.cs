using Polly;
using Polly.CircuitBreaker;

namespace FeatureB2bua.Core.Routing;

/// <summary>
/// One upstream's Polly circuit breaker. A call attempt ends in a callback long after it started, so each outcome
/// is run through the pipeline as an execution that returns it: Polly samples it, opens the circuit when too
/// many fail, ignores outcomes while the break lasts, and takes the first outcome after the break as the
/// half-open trial that closes or reopens the circuit.
/// </summary>
internal sealed class UpstreamBreaker
{
    private readonly object _gate = new();
    private readonly ResiliencePipeline<UpstreamOutcome> _pipeline;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _breakDuration;
    private DateTimeOffset _openUntil;

    public UpstreamBreaker(UpstreamCircuitBreakerOptions options, TimeProvider time)
    {
        _time = time;
        _breakDuration = options.BreakDuration;
        _pipeline = new ResiliencePipelineBuilder<UpstreamOutcome> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<UpstreamOutcome>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result == UpstreamOutcome.Failure),
                StateProvider = _state,
            })
            .Build();
    }

    /// <summary>
    /// Polly moves from Open to HalfOpen only when the next execution arrives; an Open circuit whose break is
    /// over is shown as HalfOpen here, since the router may send it the trial attempt.
    /// </summary>
    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                var state = _state.CircuitState;
                return state == CircuitState.Open && _time.GetUtcNow() >= _openUntil ? CircuitState.HalfOpen : state;
            }
        }
    }

    public void Report(UpstreamOutcome outcome)
    {
        lock (_gate)
        {
            var breaking = State == CircuitState.Open;
            var context = ResilienceContextPool.Shared.Get();
            try
            {
                // No state-change callbacks are configured, so Polly schedules no work and the execution completes at once.
                var pending = _pipeline.ExecuteOutcomeAsync(static (_, result) => ValueTask.FromResult(Outcome.FromResult(result)), context, outcome);
                _ = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            if (!breaking && _state.CircuitState == CircuitState.Open)
            {
                // Opened, or reopened by a failed trial: Polly blocks for the break duration from now.
                _openUntil = _time.GetUtcNow() + _breakDuration;
            }
        }
    }
}
