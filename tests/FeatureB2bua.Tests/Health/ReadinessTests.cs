using System.Net;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Health;

/// <summary><c>/readyz</c>: 200 only when the SIP listen points are bound, the store answers and the node is not draining; one line per check.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Readyz_ServerUp_Is200_WithEveryCheckOk()
    {
        await using var server = await ServerFixture.StartAsync();

        var (status, checks) = await HealthHttp.ReadyAsync(server.Http);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["draining", "sip", "store"], checks.Keys.Order());
        Assert.Equal($"sip: ok (listening on udp:{server.UdpEndPoint}, tcp:{server.TcpEndPoint})", checks["sip"]);
        Assert.Equal("store: ok (reachable)", checks["store"]);
        Assert.Equal("draining: ok (not draining)", checks["draining"]);
        Assert.Equal("ok\n", await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
    }

    [Fact]
    public async Task Readyz_StoreFileGone_Is503_NamingTheStore_WhileHealthzStaysUp()
    {
        var storeDirectory = Directory.CreateTempSubdirectory("readyz-store-");
        await using var server = await ServerFixture.StartAsync($"--Storage:ConnectionString=Data Source={Path.Combine(storeDirectory.FullName, "b2bua.db")}");
        Assert.Equal(HttpStatusCode.OK, (await HealthHttp.ReadyAsync(server.Http)).Status);

        // As when the disk holding the store goes away: the server's pooled connections still hold the old file open.
        storeDirectory.Delete(recursive: true);
        var (status, checks) = await HealthHttp.ReadyAsync(server.Http);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("store: fail (", checks["store"], StringComparison.Ordinal);
        Assert.Contains("unable to open database file", checks["store"], StringComparison.Ordinal);
        Assert.StartsWith("sip: ok", checks["sip"], StringComparison.Ordinal);
        Assert.Equal("draining: ok (not draining)", checks["draining"]);
        Assert.Equal("ok\n", await server.Http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
    }
}
