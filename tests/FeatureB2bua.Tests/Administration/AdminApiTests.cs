using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Hosting;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FeatureB2bua.Tests.Administration;

/// <summary>The JSON admin API over real HTTP: subscribers, registrations, CDRs, and the admin token.</summary>
public sealed class AdminApiTests : IAsyncLifetime, IDisposable
{
    private const string Token = "test-admin-token";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("api-");
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = ServerApp.Build(
        [
            "--Sip:Listen:0=udp:127.0.0.1:0",
            "--Sip:Listen:1=tcp:127.0.0.1:0",
            "--urls=http://127.0.0.1:0",
            $"--Storage:ConnectionString=Data Source={Path.Combine(_work.FullName, "b2bua.db")}",
            $"--Admin:Token={Token}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task Subscribers_WithoutToken_Get401()
    {
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/subscribers", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Subscribers_Listed_ShowDemoUsersWithoutHashes()
    {
        var body = await _http.GetStringAsync(new Uri("/api/subscribers", UriKind.Relative));

        Assert.Contains("\"alice\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("ha1", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PutThenGetThenDelete_Subscriber_RoundTrips()
    {
        var created = await _http.PutAsJsonAsync(new Uri("/api/subscribers/dave", UriKind.Relative), new { password = "s3cret", features = new { forwardBusy = "sip:carol@example.test" } });
        var fetched = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/subscribers/dave", UriKind.Relative));
        var deleted = await _http.DeleteAsync(new Uri("/api/subscribers/dave", UriKind.Relative));
        var gone = await _http.GetAsync(new Uri("/api/subscribers/dave", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("sip:carol@example.test", fetched.GetProperty("features").GetProperty("forwardBusy").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Put_NewSubscriberWithoutPassword_Gets400()
    {
        var response = await _http.PutAsJsonAsync(new Uri("/api/subscribers/erin", UriKind.Relative), new { features = new { } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CallsAndCdrs_NoCallsYet_AreEmptyLists()
    {
        var calls = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/calls", UriKind.Relative));
        var cdrs = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/cdrs", UriKind.Relative));

        Assert.Equal(JsonValueKind.Array, calls.ValueKind);
        Assert.Empty(calls.EnumerateArray());
        Assert.Empty(cdrs.EnumerateArray());
    }

    [Fact]
    public async Task Cdrs_InTheStore_ListedNewestFirstUpToTheLimit()
    {
        var ended = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await _app.Services.GetRequiredService<ICallRecordStore>().AddAsync(
        [
            new CallRecord("call-1", "sip:alice@example.test", "sip:bob@example.test", null, ended, null, ended.AddSeconds(1), "failed", 486, "busy"),
            new CallRecord("call-2", "sip:alice@example.test", "sip:bob@example.test", "sip:bob@192.0.2.20", ended, ended, ended.AddSeconds(2), "answered", 200, null) { Features = ["forwardBusy"] },
            new CallRecord("call-3", "sip:bob@example.test", "sip:carol@example.test", null, ended, null, ended.AddSeconds(3), "cancelled", 487, null),
        ]);

        var cdrs = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/cdrs?limit=2", UriKind.Relative));
        var since = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/cdrs?since=2030-01-02T03:04:07Z", UriKind.Relative));

        Assert.Equal(["call-3", "call-2"], cdrs.EnumerateArray().Select(r => r.GetProperty("callId").GetString()));
        var answered = cdrs[1];
        Assert.Equal("sip:bob@192.0.2.20", answered.GetProperty("finalTarget").GetString());
        Assert.Equal(ended, answered.GetProperty("answeredAt").GetDateTimeOffset());
        Assert.Equal(ended.AddSeconds(2), answered.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal(200, answered.GetProperty("finalStatus").GetInt32());
        Assert.Equal(["forwardBusy"], answered.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(JsonValueKind.Null, cdrs[0].GetProperty("answeredAt").ValueKind);
        Assert.Equal(["call-3", "call-2"], since.EnumerateArray().Select(r => r.GetProperty("callId").GetString()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task Cdrs_LimitOutOfRange_Gets400(int limit)
    {
        var response = await _http.GetAsync(new Uri($"/api/cdrs?limit={limit}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Registrations_AfterARegister_ListTheBinding()
    {
        var sip = _app.Services.GetRequiredService<Sip.Stack.SipStack>().Transports.First(t => t.ListenPoint.Protocol == Sip.Transport.TransportProtocol.Udp).LocalEndPoint;
        using var client = new UdpSipClient(sip);
        var registered = await new RegisteringPhone(client, "carol", "carol-demo-pw").RegisterAsync("Contact: <sip:carol@192.0.2.77>\nExpires: 300\n");

        var registrations = await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/registrations", UriKind.Relative));

        Assert.Equal(200, registered.StatusCode);
        var binding = Assert.Single(registrations.EnumerateArray());
        Assert.Equal("carol@example.test", binding.GetProperty("aor").GetString());
        Assert.Equal("sip:carol@192.0.2.77", binding.GetProperty("contact").GetString());
        Assert.InRange(binding.GetProperty("expiresIn").GetInt32(), 290, 300);
    }
}
