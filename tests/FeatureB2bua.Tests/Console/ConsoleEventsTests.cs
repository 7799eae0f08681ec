using System.Text.Json;
using FeatureB2bua.Tests.Calls;

namespace FeatureB2bua.Tests.Console;

/// <summary><c>GET /api/events</c> as a browser's EventSource reads it.</summary>
public sealed class ConsoleEventsTests
{
    [Fact]
    public async Task ACallStarting_IsACallsEvent_AndItsMessagesTraceEvents()
    {
        await using var h = await CallHarness.StartAsync();
        using var response = await h.Server.Http.GetAsync(new Uri("/api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await NextEventAsync(events, "calls");
        Assert.Equal(0, first.GetArrayLength());

        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");

        var calls = await NextEventAsync(events, "calls", c => c.GetArrayLength() == 1);
        var call = calls[0];
        Assert.Equal(h.CallId, call.GetProperty("aCallId").GetString());
        Assert.Equal("sip:alice@example.test", call.GetProperty("caller").GetString());
        Assert.Equal(JsonValueKind.Array, call.GetProperty("features").ValueKind);
        var trace = await NextEventAsync(events, "trace", t => t.GetProperty("messages").GetInt32() >= 3);
        Assert.Equal(h.CallId, trace.GetProperty("callId").GetString());

        h.CalleeResponds(bInvite, 486, "Busy Here");
        await NextEventAsync(events, "calls", c => c.GetArrayLength() == 0);
        await h.AssertEndedAsync("busy");
    }

    /// <summary>The data of the next event named <paramref name="name"/> that satisfies <paramref name="wanted"/>, skipping others and comments.</summary>
    private static async Task<JsonElement> NextEventAsync(StreamReader events, string name, Func<JsonElement, bool>? wanted = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        string? eventName = null;
        while (await events.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == name)
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                if (wanted is null || wanted(data))
                {
                    return data;
                }
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }
}
