using Microsoft.Extensions.Logging;

namespace FeatureB2bua.Core.Calls;

/// <summary>
/// The call's part in the log: every line written while the call handles an event carries its <see cref="CallLogScope"/>,
/// and its end is one summary line beside the CDR. The scope is entered where events come in (<see cref="Run"/>, the
/// start of the call's search, the media session's supervision) and flows from there with the execution context into
/// the call's awaits, feature decisions and timers; an entry already inside this call's scope adds nothing, so a line
/// carries the call's id once.
/// </summary>
public sealed partial class Call
{
    private static readonly AsyncLocal<Call?> s_inScope = new();

    private readonly CallLogScope _logScope;

    /// <summary>The call's log scope, until the returned handle is disposed; null when this flow is in it already.</summary>
    public IDisposable? EnterLogScope() => ReferenceEquals(s_inScope.Value, this) ? null : new LogScopeEntry(this);

    /// <summary>One line per ended call, at Information, with what the CDR and the media session know.</summary>
    private void LogSummary(CallRecord record)
    {
        if (!_env.Logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var media = _media?.Snapshot();
        var talk = record.AnsweredAt is { } answered ? record.EndedAt - answered : TimeSpan.Zero;
        var duration = Math.Round(talk.TotalSeconds, 3);
        var setup = Math.Round(((record.AnsweredAt ?? record.EndedAt) - record.SetupAt).TotalSeconds, 3);
        var features = string.Join(',', record.Features);
        CallLog.CallEnded(
            _env.Logger,
            record.Result,
            record.Caller,
            record.Dialled,
            record.FinalTarget,
            duration,
            setup,
            record.FinalStatus,
            record.FailureReason,
            features,
            _branches.Count,
            media?.PacketsFromA,
            media?.PacketsFromB,
            media?.OneWay);
    }

    /// <summary>Both the logging scope and the marker that this flow is in it; disposed on the thread and flow that entered.</summary>
    private sealed class LogScopeEntry : IDisposable
    {
        private readonly Call? _outer;
        private readonly IDisposable? _scope;

        public LogScopeEntry(Call call)
        {
            _outer = s_inScope.Value;
            s_inScope.Value = call;
            _scope = call._env.Logger.BeginScope(call._logScope);
        }

        public void Dispose()
        {
            _scope?.Dispose();
            s_inScope.Value = _outer;
        }
    }
}
