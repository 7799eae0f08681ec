using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Features;

/// <summary>Star codes dialled by subscriber alice: the setting changes, the call is answered here with a tone and hung up; a bad code is declined.</summary>
public sealed class StarCodeTests
{
    [Fact]
    public async Task Star72_SetsUnconditionalForwarding_AnsweredWithATone_ThenOurBye()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["alice"] = new { } }, null, "--Media:PortMin=13000", "--Media:PortMax=13099");
        var h = f.Call;
        using var phone = new RtpPeer(0xA);

        h.Caller.Send(h.Invite(user: "*72carol", body: phone.Sdp("alice")));

        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        Assert.Contains("a=sendonly", System.Text.Encoding.ASCII.GetString(answer.Body), StringComparison.Ordinal);
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        var tone = await phone.ReceiveAsync(10, TimeSpan.FromMilliseconds(100));
        Assert.True(tone.Count >= 10, $"{tone.Count} tone packets");
        Assert.All(tone, p => Assert.Equal(RtpPeer.MediaPort(answer.Body), p.FromPort));
        var bye = await CallHarness.NextRequestAsync(h.Caller, "BYE").WaitAsync(TimeSpan.FromSeconds(5));
        h.CallerResponds(bye, 200, "OK");
        Assert.Null(await h.Callee.ReceiveAsync(100));

        Assert.Equal(["star-codes"], FeatureHarness.FeaturesOf(await h.AssertEndedAsync("answered")));
        Assert.Equal("sip:carol@example.test", (await FeaturesOfAsync(h, "alice")).GetProperty("forwardUnconditional").GetString());
    }

    [Theory]
    [InlineData("*73", "forwardUnconditional")]
    [InlineData("*91", "forwardBusy")]
    [InlineData("*93", "forwardNoAnswer")]
    public async Task ClearingCodes_ClearTheirSetting(string code, string setting)
    {
        await using var f = await FeatureHarness.StartAsync(
            new() { ["alice"] = new { forwardUnconditional = "carol", forwardBusy = "carol", forwardNoAnswer = "carol" } }, null, "--Media:PortMin=13100", "--Media:PortMax=13199");
        var h = f.Call;
        using var phone = new RtpPeer(0xA);

        h.Caller.Send(h.Invite(user: code, body: phone.Sdp("alice")));

        var answer = await CallHarness.NextResponseAsync(h.Caller, 200, "INVITE");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        h.CallerResponds(await CallHarness.NextRequestAsync(h.Caller, "BYE").WaitAsync(TimeSpan.FromSeconds(5)), 200, "OK");
        await h.AssertEndedAsync("answered");
        var features = await FeaturesOfAsync(h, "alice");
        Assert.Equal(JsonValueKind.Null, features.GetProperty(setting).ValueKind);
        Assert.Equal(3 - 1, features.EnumerateObject().Count(p => p.Name.StartsWith("forward", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.String));
    }

    [Theory]
    [InlineData("*72")]
    [InlineData("*90bad%20target")]
    [InlineData("*93junk")]
    public async Task Codes_WithABadOrMissingTarget_Get603_AndChangeNothing(string dialled)
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["alice"] = new { } });
        var h = f.Call;

        h.Caller.Send(h.Invite(user: dialled));

        Assert.Equal(603, (await h.Caller.ReceiveFinalAsync(3000)).StatusCode);
        await h.AssertEndedAsync("failed");
        var features = await FeaturesOfAsync(h, "alice");
        Assert.Equal(JsonValueKind.Null, features.GetProperty("forwardUnconditional").ValueKind);
        Assert.Equal(JsonValueKind.Null, features.GetProperty("forwardBusy").ValueKind);
    }

    [Fact]
    public async Task StarCode_FromACallerWhoIsNoSubscriber_Gets403()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { } });

        f.Call.Caller.Send(f.Call.Invite(user: "*72carol"));

        Assert.Equal(403, (await f.Call.Caller.ReceiveFinalAsync(3000)).StatusCode);
        await f.Call.AssertEndedAsync("failed");
    }

    private static async Task<JsonElement> FeaturesOfAsync(CallHarness h, string user) =>
        (await h.Server.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/subscribers/{user}", UriKind.Relative))).GetProperty("features");
}
