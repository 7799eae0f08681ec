using System.Net.Http.Json;

namespace FeatureB2bua.Tests.Infrastructure;

/// <summary>The server's CDRs as its admin API serves them (GET /api/cdrs), whatever keeps them behind it.</summary>
public static class CdrApi
{
    /// <summary>The most <c>/api/cdrs</c> returns in one answer.</summary>
    public const int MaxRecords = 1000;

    public sealed record Cdr(string CallId, string Result, int FinalStatus);

    public static async Task<IReadOnlyList<Cdr>> GetAsync(ServerFixture server) =>
        await server.Http.GetFromJsonAsync<List<Cdr>>($"/api/cdrs?limit={MaxRecords}") ?? [];

    /// <summary>The CDRs once there are at least <paramref name="count"/> (they reach the store in the background), or what there is after 5 s.</summary>
    public static async Task<IReadOnlyList<Cdr>> WaitForAsync(ServerFixture server, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var cdrs = await GetAsync(server);
            if (cdrs.Count >= count || DateTime.UtcNow >= deadline)
            {
                return cdrs;
            }

            await Task.Delay(50);
        }
    }
}
