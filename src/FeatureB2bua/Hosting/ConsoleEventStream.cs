using System.Text;
using System.Text.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>
/// <c>GET /api/events</c>, Server-Sent Events for the console: <c>calls</c> (the JSON of <c>GET /api/calls</c>) at the
/// start and whenever a call starts, changes state or ends, and at most once a second while calls are in progress
/// (durations, packets); <c>registrations</c> (the JSON of <c>GET /api/registrations</c>) when a binding changes;
/// <c>trace</c> (<c>{ callId, messages }</c>) when a traced call gets a message; <c>: keepalive</c> after 15 s of
/// silence. Events that come together are written together, each kind once. The stream ends with the host.
/// </summary>
internal static class ConsoleEventStream
{
    private static readonly TimeSpan Keepalive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CallsRefresh = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(
        HttpContext http, ConsoleEventHub hub, CallRegistry calls, ILocationStore locations, TimeProvider time, IHostApplicationLifetime lifetime, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var options = json.Value.SerializerOptions;
        var reader = hub.Subscribe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await WriteAsync(http, "calls", CallView.Current(calls, time), options, stop.Token);
            await http.Response.Body.FlushAsync(stop.Token);
            var callsAt = time.GetUtcNow();
            while (true)
            {
                var changes = await NextChangesAsync(reader, calls.ActiveCount > 0 ? CallsRefresh : Keepalive, time, stop.Token);
                var callsDue = calls.ActiveCount > 0 && time.GetUtcNow() - callsAt >= CallsRefresh;
                if (changes.Any(c => c.Kind == ConsoleEventKind.Calls) || callsDue)
                {
                    await WriteAsync(http, "calls", CallView.Current(calls, time), options, stop.Token);
                    callsAt = time.GetUtcNow();
                }

                if (changes.Any(c => c.Kind == ConsoleEventKind.Registrations))
                {
                    await WriteAsync(http, "registrations", await RegistrationView.CurrentAsync(locations, time, stop.Token), options, stop.Token);
                }

                foreach (var trace in changes.Where(c => c.Kind == ConsoleEventKind.Trace).GroupBy(c => c.CallId))
                {
                    await WriteAsync(http, "trace", new TraceChange(trace.Key!, trace.Max(c => c.Messages)), options, stop.Token);
                }

                if (changes.Count == 0 && !callsDue)
                {
                    await http.Response.WriteAsync(": keepalive\n\n", stop.Token);
                }

                await http.Response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The browser went away or the host is stopping.
        }
        finally
        {
            hub.Unsubscribe(reader);
        }
    }

    /// <summary>Every change waiting, after waiting up to <paramref name="wait"/> for the first; none when the wait ran out.</summary>
    private static async Task<List<ConsoleEvent>> NextChangesAsync(System.Threading.Channels.ChannelReader<ConsoleEvent> reader, TimeSpan wait, TimeProvider time, CancellationToken stop)
    {
        using var timeout = new CancellationTokenSource(wait, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            await reader.WaitToReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return [];
        }

        var changes = new List<ConsoleEvent>();
        while (reader.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }

    private static async Task WriteAsync<T>(HttpContext http, string name, T data, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var line = new StringBuilder("event: ").Append(name).Append("\ndata: ").Append(JsonSerializer.Serialize(data, options)).Append("\n\n");
        await http.Response.WriteAsync(line.ToString(), cancellationToken);
    }

    private sealed record TraceChange(string CallId, long Messages);
}
