using System.Net;
using FeatureB2bua.Core.Security;

namespace FeatureB2bua.Hosting;

/// <summary><c>GET /api/bans</c> and <c>DELETE /api/bans/{ip}</c>: the sources the flood gate has banned, and lifting a ban by hand.</summary>
internal static class BanAdminApi
{
    public static void MapBans(this RouteGroupBuilder api)
    {
        api.MapGet("/bans", (SourceBanList bans) => bans.Current().Select(b => new BanView(b.Source.ToString(), b.Until, b.Reason)));
        api.MapDelete("/bans/{ip}", (string ip, SourceBanList bans) =>
            !IPAddress.TryParse(ip, out var address) ? Results.BadRequest(new { error = "not an IP address" })
            : bans.Lift(address) ? Results.NoContent()
            : Results.NotFound());
    }

    private sealed record BanView(string Source, DateTimeOffset Until, string Reason);
}
