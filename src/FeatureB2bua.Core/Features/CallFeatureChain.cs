namespace FeatureB2bua.Core.Features;

/// <summary>The enabled features in their configured order; asks each in turn until one decides.</summary>
public sealed class CallFeatureChain
{
    private readonly ICallFeature[] _features;

    /// <exception cref="InvalidOperationException">A name in <c>Features:Enabled</c> names no registered feature.</exception>
    public CallFeatureChain(FeatureOptions options, IEnumerable<ICallFeature> registered)
    {
        var byName = registered.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _features = [.. options.Enabled.Select(name => byName.TryGetValue(name, out var feature)
            ? feature
            : throw new InvalidOperationException($"Features:Enabled names '{name}', which is not a feature of this server (known: {string.Join(", ", byName.Keys)})."))];
    }

    /// <summary>No feature enabled: the call needs not stop at any decision point.</summary>
    public bool IsEmpty => _features.Length == 0;

    public ValueTask<(FeatureDecision Decision, string? Feature)> OnIncomingAsync(FeatureContext call, CancellationToken cancellationToken = default) =>
        AskAsync(static (f, c, _, ct) => f.OnIncomingAsync(c, ct), call, 0, cancellationToken);

    public ValueTask<(FeatureDecision Decision, string? Feature)> OnBranchFailedAsync(FeatureContext call, int status, CancellationToken cancellationToken = default) =>
        AskAsync(static (f, c, s, ct) => f.OnBranchFailedAsync(c, s, ct), call, status, cancellationToken);

    private async ValueTask<(FeatureDecision Decision, string? Feature)> AskAsync(
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
}
