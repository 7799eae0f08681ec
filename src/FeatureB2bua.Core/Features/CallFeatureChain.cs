using FeatureB2bua.Core.Calls;

namespace FeatureB2bua.Core.Features;

/// <summary>The enabled features in their configured order; at each decision point asks each in turn until one decides.</summary>
public sealed class CallFeatureChain
{
    private readonly ICallFeature[] _features;

    /// <exception cref="InvalidOperationException">A name in <c>Features:Enabled</c> names no registered feature.</exception>
    public CallFeatureChain(FeatureOptions options, IEnumerable<ICallFeature> registered)
    {
        Options = options;
        var byName = registered.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _features = [.. options.Enabled.Except(options.Disabled, StringComparer.OrdinalIgnoreCase).Select(name => byName.TryGetValue(name, out var feature)
            ? feature
            : throw new InvalidOperationException($"Features:Enabled names '{name}', which is not a feature of this server (known: {string.Join(", ", byName.Keys.Order())})."))];
    }

    public FeatureOptions Options { get; }

    /// <summary>The names of the enabled features, in the order they are asked.</summary>
    public IEnumerable<string> Names => _features.Select(f => f.Name);

    /// <summary>No feature enabled: the call needs not stop at any decision point.</summary>
    public bool IsEmpty => _features.Length == 0;

    public ValueTask<(FeatureDecision Decision, string? Feature)> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken = default) =>
        FirstAsync(static (f, c, _, ct) => f.OnIncomingAsync(c, ct), call, 0, cancellationToken);

    public ValueTask<(FeatureDecision Decision, string? Feature)> OnBranchFailedAsync(FeatureContext call, int status, CancellationToken cancellationToken = default) =>
        FirstAsync(static (f, c, s, ct) => f.OnBranchFailedAsync(c, s, ct), call, status, cancellationToken);

    /// <summary>The shortest no-answer time any feature asks for, or null.</summary>
    public TimeSpan? NoAnswerTimeout(FeatureContext call)
    {
        TimeSpan? shortest = null;
        foreach (var feature in _features)
        {
            if (feature.NoAnswerTimeout(call) is { } timeout && (shortest is null || timeout < shortest))
            {
                shortest = timeout;
            }
        }

        return shortest;
    }

    public (FeatureDecision Decision, string? Feature) OnNoAnswer(FeatureContext call) => First(call, static (f, c, _) => f.OnNoAnswer(c), default);

    public (FeatureDecision Decision, string? Feature) OnHold(FeatureContext call, CallSide holder) => First(call, static (f, c, h) => f.OnHold(c, h), holder);

    public (string? Reason, string? Feature) OnCancel(FeatureContext call)
    {
        foreach (var feature in _features)
        {
            if (feature.OnCancel(call) is { } reason)
            {
                return (reason, feature.Name);
            }
        }

        return (null, null);
    }

    private async ValueTask<(FeatureDecision Decision, string? Feature)> FirstAsync(
        Func<ICallFeature, FeatureContext, int, CancellationToken, ValueTask<FeatureDecision>> ask, FeatureContext call, int status, CancellationToken cancellationToken)
    {
        foreach (var feature in _features)
        {
            var decision = await ask(feature, call, status, cancellationToken).ConfigureAwait(false);
            if (decision is not FeatureDecision.ContinueDecision)
            {
                return (decision, feature.Name);
            }
        }

        return (FeatureDecision.Continue, null);
    }

    private (FeatureDecision, string?) First(FeatureContext call, Func<ICallFeature, FeatureContext, CallSide, FeatureDecision> ask, CallSide side)
    {
        foreach (var feature in _features)
        {
            var decision = ask(feature, call, side);
            if (decision is not FeatureDecision.ContinueDecision)
            {
                return (decision, feature.Name);
            }
        }

        return (FeatureDecision.Continue, null);
    }
}
