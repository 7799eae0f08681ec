namespace FeatureB2bua.Hosting;

/// <summary>Something the console's live view should hear of: the calls or the registrations changed, or a traced call got a message.</summary>
internal sealed record ConsoleEvent(ConsoleEventKind Kind, string? CallId = null, long Messages = 0)
{
    public static ConsoleEvent Calls { get; } = new(ConsoleEventKind.Calls);

    public static ConsoleEvent Registrations { get; } = new(ConsoleEventKind.Registrations);
}

internal enum ConsoleEventKind
{
    Calls,
    Registrations,
    Trace,
}
