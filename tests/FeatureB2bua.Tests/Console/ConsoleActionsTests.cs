using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Features;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Console;

/// <summary>The console's actions, hanging up a call and removing registrations, and the token rule: reads open, actions behind the token.</summary>
public sealed class ConsoleActionsTests
{
    private const string Token = "console-test-token";

    [Fact]
    public async Task HangingUpAnAnsweredCall_SendsByeToBothPhones_AndTheCdrSaysAdmin()
    {
        await using var h = await CallHarness.StartAsync();
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        await h.SettleAsync();

        var response = await h.Server.Http.DeleteAsync(new Uri($"/api/calls/{h.CallId}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        h.CalleeResponds(await CallHarness.NextRequestAsync(h.Callee, "BYE"), 200, "OK");
        var bye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        Assert.Equal(h.CallId, bye.CallId);
        h.CallerResponds(bye, 200, "OK");
        await h.AssertEndedAsync("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await h.Server.Http.DeleteAsync(new Uri($"/api/calls/{h.CallId}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task HangingUpARingingCall_CancelsTheCallee_AndTheCallerGets487()
    {
        await using var h = await CallHarness.StartAsync();
        h.Caller.Send(h.Invite());
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);

        Assert.Equal(HttpStatusCode.Accepted, (await h.Server.Http.DeleteAsync(new Uri($"/api/calls/{h.CallId}", UriKind.Relative))).StatusCode);

        var cancel = await CallHarness.NextRequestAsync(h.Callee, "CANCEL");
        h.CalleeResponds(cancel, 200, "OK");
        h.CalleeResponds(bInvite, 487, "Request Terminated");
        Assert.Equal(487, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        await h.AssertEndedAsync("admin");
    }

    [Fact]
    public async Task RemovingRegistrations_OneContactThenTheWholeAor()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["alice"] = new { } });
        var http = f.Call.Server.Http;
        using var client = new UdpSipClient(f.Call.Server.UdpEndPoint);
        var registered = await new RegisteringPhone(client, "alice", "alice-pw").RegisterAsync("Contact: <sip:alice@127.0.0.1:1111>, <sip:alice@127.0.0.1:2222>\nExpires: 600\n");
        Assert.Equal(200, registered.StatusCode);
        var bindings = (await http.GetFromJsonAsync<JsonElement>(new Uri("/api/registrations", UriKind.Relative))).EnumerateArray().ToArray();
        Assert.Equal(2, bindings.Length);
        var aor = bindings[0].GetProperty("aor").GetString()!;
        var first = bindings[0].GetProperty("contact").GetString()!;

        var one = await http.DeleteAsync(new Uri($"/api/registrations/{Uri.EscapeDataString(aor)}?contact={Uri.EscapeDataString(first)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(1, (await one.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed").GetInt32());
        var left = Assert.Single((await http.GetFromJsonAsync<JsonElement>(new Uri("/api/registrations", UriKind.Relative))).EnumerateArray());
        Assert.NotEqual(first, left.GetProperty("contact").GetString());

        var all = await http.DeleteAsync(new Uri($"/api/registrations/{Uri.EscapeDataString(aor)}", UriKind.Relative));
        Assert.Equal(1, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("removed").GetInt32());
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>(new Uri("/api/registrations", UriKind.Relative))).GetArrayLength());
    }

    [Fact]
    public async Task WithAToken_ReadsAreOpen_ActionsAndSubscribersNeedIt()
    {
        await using var server = await ServerFixture.StartAsync($"--Admin:Token={Token}");
        var http = server.Http;
        foreach (var read in (string[])["/api/calls", "/api/registrations", "/api/upstreams", "/api/cdrs", "/api/traces"])
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(read, UriKind.Relative))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/api/calls/unknown/trace", UriKind.Relative))).StatusCode);
        Assert.Equal((true, false), await ConsoleStateAsync(http, null));
        Assert.Equal((true, false), await ConsoleStateAsync(http, "wrong"));
        Assert.Equal((true, true), await ConsoleStateAsync(http, Token));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/subscribers", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri("/api/bans", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.DeleteAsync(new Uri("/api/calls/unknown", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.DeleteAsync(new Uri("/api/registrations/sip%3Aalice%40example.test", UriKind.Relative))).StatusCode);

        using var authorized = new HttpRequestMessage(HttpMethod.Delete, new Uri("/api/calls/unknown", UriKind.Relative));
        authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(authorized)).StatusCode);
    }

    [Fact]
    public async Task WithoutAToken_ActionsNeedNone()
    {
        await using var server = await ServerFixture.StartAsync();

        Assert.Equal((false, true), await ConsoleStateAsync(server.Http, null));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.DeleteAsync(new Uri("/api/calls/unknown", UriKind.Relative))).StatusCode);
    }

    private static async Task<(bool ActionsNeedToken, bool TokenValid)> ConsoleStateAsync(HttpClient http, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/console", UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var state = await (await http.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        return (state.GetProperty("actionsNeedToken").GetBoolean(), state.GetProperty("tokenValid").GetBoolean());
    }
}
