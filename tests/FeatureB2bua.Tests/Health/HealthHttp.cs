using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FeatureB2bua.Tests.Health;

/// <summary><c>/readyz</c> and <c>POST /api/drain</c> as a probe and an operator use them.</summary>
public static class HealthHttp
{
    /// <summary>The status and the check lines (<c>name: ok|fail (...)</c>) by check name.</summary>
    public static async Task<(HttpStatusCode Status, IReadOnlyDictionary<string, string> Checks)> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var checks = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(line => line[..line.IndexOf(':', StringComparison.Ordinal)], line => line);
        return (response.StatusCode, checks);
    }

    /// <summary>Starts the drain: 202 with the calls still in progress.</summary>
    public static async Task<int> DrainAsync(HttpClient http)
    {
        using var response = await http.PostAsync(new Uri("/api/drain", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callsRemaining").GetInt32();
    }
}
