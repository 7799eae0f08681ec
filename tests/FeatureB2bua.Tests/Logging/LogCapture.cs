using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Tests.Logging;

/// <summary>
/// A logger provider that keeps every line the server writes: category, level, event id, message, the structured
/// state and the scope chain as the logger factory's scope provider hands it over at the time of the line.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>Waits until <paramref name="done"/> holds for the lines so far; fails the test after 3 s.</summary>
    public async Task<IReadOnlyList<CapturedLine>> WaitForAsync(Func<IReadOnlyList<CapturedLine>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (!done(Lines))
        {
            Assert.True(DateTime.UtcNow < deadline, "the expected lines were not logged:\n" + string.Join('\n', Lines));
            await Task.Delay(20);
        }

        return Lines;
    }

    private static Dictionary<string, object?> Properties(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value)
            : new Dictionary<string, object?> { ["Scope"] = state?.ToString() };

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<IReadOnlyDictionary<string, object?>>();
            owner._scopes.ForEachScope((scope, list) => list.Add(Properties(scope)), scopes);
            owner._lines.Enqueue(new CapturedLine(category, logLevel, eventId.Id, formatter(state, exception), Properties(state), scopes));
        }
    }
}

/// <summary>One logged line as a structured sink sees it.</summary>
public sealed record CapturedLine(
    string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> State, IReadOnlyList<IReadOnlyDictionary<string, object?>> Scopes)
{
    /// <summary>The <c>CallId</c> of each of the line's scopes that has one, outermost first (a scope entered twice counts twice).</summary>
    public IReadOnlyList<string> CallIds => [.. Scopes.Where(s => s.ContainsKey("CallId")).Select(s => (string)s["CallId"]!)];

    /// <summary>The innermost scope's value of <paramref name="key"/>, if any scope has it.</summary>
    public object? ScopeValue(string key) => Scopes.LastOrDefault(s => s.ContainsKey(key))?[key];

    public override string ToString() => $"{Level} {Category}[{EventId}] {Message} scopes: {string.Join(" => ", Scopes.Select(s => string.Join(',', s.Select(p => $"{p.Key}={p.Value}"))))}";
}
