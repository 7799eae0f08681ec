using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Security;

/// <summary>
/// The real server with counters around its subscriber reads and digest hashes, a nonce key the tests share (so they
/// can make valid and stale nonces) and a failure limit high enough that hundreds of wrong passwords start no ban.
/// bob is registered, alice and carol are provisioned but not registered.
/// </summary>
public sealed class EnumerationServer : IAsyncLifetime
{
    public const string NonceSecret = "enumeration-test-secret";

    public AuthWorkCounters Counters { get; } = new();

    public ServerFixture Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerFixture.StartAsync(Counters.Install, $"--Auth:NonceSecret={NonceSecret}", "--Auth:MaxFailures=1000000");
        using var phone = new UdpSipClient(Server.UdpEndPoint);
        var registered = await new RegisteringPhone(phone, "bob", "bob-demo-pw").RegisterAsync($"Contact: <sip:bob@{phone.LocalEndPoint}>\nExpires: 600\n");
        Assert.Equal(200, registered.StatusCode);
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}
