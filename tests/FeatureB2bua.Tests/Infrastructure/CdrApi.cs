using System.Net.Http.Json;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>The server's CDRs as its admin API serves them (GET /api/cdrs), whatever keeps them behind it.</summary>
public static class CdrApi
{
    public sealed record Cdr(string CallId, string Result, int FinalStatus);

    public static async Task<IReadOnlyList<Cdr>> GetAsync(ServerFixture server)
    {
        using var http = new HttpClient { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetFromJsonAsync<List<Cdr>>("/api/cdrs") ?? [];
    }
}
