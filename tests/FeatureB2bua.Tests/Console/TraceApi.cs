using System.Net.Http.Json;
using System.Text.Json;

namespace FeatureB2bua.Tests.Console;

/// <summary>Reads a call's trace over HTTP; the trace is filed in the background, so a test waits for what it expects to be there.</summary>
internal static class TraceApi
{
    public static async Task<JsonElement> WaitForAsync(HttpClient http, string callId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var response = await http.GetAsync(new Uri($"/api/calls/{callId}/trace", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                var trace = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (done(trace) || DateTime.UtcNow >= deadline)
                {
                    return trace;
                }
            }
            else if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"No trace of {callId}: {(int)response.StatusCode}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The messages of one leg as <c>direction label cseq</c>, a retransmission folded into the message before it.</summary>
    public static string[] Ladder(JsonElement trace, string leg)
    {
        var lines = trace.GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("leg").GetString() == leg)
            .Select(m => $"{m.GetProperty("direction").GetString()} {m.GetProperty("label").GetString()} ({m.GetProperty("cseq").GetString()})");
        var folded = new List<string>();
        foreach (var line in lines)
        {
            if (folded.Count == 0 || folded[^1] != line)
            {
                folded.Add(line);
            }
        }

        return [.. folded];
    }

    public static bool Ends(JsonElement trace, string leg, string line) => Ladder(trace, leg) is { Length: > 0 } ladder && ladder[^1] == line;
}
