using System.Net;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Features;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FeatureB2bua.Console.Tests;

/// <summary>
/// Calls placed through the real server by test phones, watched in the console in Debian's chromium: the call appears
/// live, its ladder shows every message of both legs in order, and a click on an arrow shows the whole message.
/// </summary>
[Collection(ConsoleBrowser.Collection)]
public sealed class ConsoleLadderTests
{
    /// <summary>Set to a directory (docs/) to write the forwarded call's ladder there as console-ladder.png.</summary>
    private const string ScreenshotDirVariable = "CONSOLE_SCREENSHOT_DIR";

    private static readonly (string, string)[] CallerSide = [("INVITE", "in"), ("100", "out"), ("180", "out"), ("200", "out"), ("ACK", "in"), ("BYE", "in"), ("200", "out")];

    private static readonly (string, string)[] CalleeSide = [("INVITE", "out"), ("100", "in"), ("180", "in"), ("200", "in"), ("ACK", "out"), ("BYE", "out"), ("200", "in")];

    [RequiresPeerFact(ConsoleBrowser.Program, "chromium")]
    public async Task AnsweredCall_ItsLadderShowsBothLegsInOrder_AndAnArrowOpensTheWholeMessage()
    {
        await using var h = await CallHarness.StartAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(h.Server, ConsoleBrowser.Laptop);
        var page = browser.Page;
        using var alice = new RtpPeer(0xA11CE);
        using var bob = new RtpPeer(0xB0B);

        h.Caller.Send(h.Invite(body: alice.Sdp("alice")));
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 100, "Trying");
        h.CalleeResponds(bInvite, 180, "Ringing");
        await CallHarness.NextResponseAsync(h.Caller, 180);

        // The ringing call is on the page without a reload, and its ladder opens while it rings.
        var row = page.Locator($"[data-testid=call-row][data-call-id='{h.CallId}']");
        await Expect(row).ToContainTextAsync("Ringing");
        await Expect(row).ToContainTextAsync("sip:bob@example.test");
        await row.GetByRole(AriaRole.Button, new() { Name = "Ladder" }).ClickAsync();
        await browser.WaitForArrowsAsync(a => LadderArrow.InOrder(a, "B1", ("INVITE", "out"), ("180", "in")));

        h.CalleeResponds(bInvite, 200, "OK", body: bob.Sdp("bob"));
        var answer = await CallHarness.NextResponseAsync(h.Caller, 200);
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));
        await Expect(row).ToContainTextAsync("Connected");

        // Media relayed through the anchor is counted on the row each way, as the server's updates come.
        for (var i = 0; i < 7; i++)
        {
            alice.SendTo(RtpPeer.MediaPort(answer.Body), alice.Packet(i));
        }

        for (var i = 0; i < 3; i++)
        {
            bob.SendTo(RtpPeer.MediaPort(bInvite.Body), bob.Packet(i));
        }

        await Expect(row).ToContainTextAsync("A→B 7");
        await Expect(row).ToContainTextAsync("B→A 3");

        h.Caller.Send(h.CallerRequest("BYE", answer, "z9hG4bKbye"));
        await CallHarness.NextResponseAsync(h.Caller, 200, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.CalleeResponds(bBye, 200, "OK");
        await h.AssertEndedAsync("answered");

        // The open ladder follows the call to its end; the ended call moves to the recent calls.
        var arrows = await browser.WaitForArrowsAsync(a => LadderArrow.InOrder(a, "A", CallerSide) && LadderArrow.InOrder(a, "B1", CalleeSide));
        Assert.Equal(arrows.Select(a => a.Seq).Order(), arrows.Select(a => a.Seq));
        Assert.Equal(["A", "B2BUA", "B1"], await page.GetByTestId("ladder-column").EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.leg)"));
        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-testid=recent-calls] tr[data-call-id='{h.CallId}']")).ToContainTextAsync("answered");

        await page.Locator("[data-testid=ladder-arrow][data-leg=B1][data-label=BYE]").ClickAsync();
        var detail = page.GetByTestId("message-detail");
        await Expect(detail).ToBeVisibleAsync();
        await Expect(detail).ToContainTextAsync($"BYE sip:bob@{h.Callee.LocalEndPoint} SIP/2.0");
        await Expect(detail).ToContainTextAsync($"Call-ID: {bBye.CallId}");
        await Expect(detail).ToContainTextAsync($"{h.Server.UdpEndPoint} → {h.Callee.LocalEndPoint}");

        var export = await page.Locator("#ladder-export").GetAttributeAsync("href");
        Assert.Equal($"/api/calls/{Uri.EscapeDataString(h.CallId)}/trace.txt", export);
        using var text = await h.Server.Http.GetAsync(new Uri(export!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Equal("text/plain", text.Content.Headers.ContentType!.MediaType);

        await browser.ScreenshotAsync("answered-call-ladder");
        Assert.Empty(browser.Errors);
    }

    [RequiresPeerFact(ConsoleBrowser.Program, "chromium")]
    public async Task ForwardedOnBusy_TheLadderHasAColumnForEachBLeg_OnALaptopAndOnAPhone()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["bob"] = new { forwardBusy = "carol" } });
        var h = f.Call;
        await using var browser = await ConsoleBrowser.OpenAsync(h.Server, ConsoleBrowser.Laptop);
        var page = browser.Page;
        using var alice = new RtpPeer(0xA11CE);
        using var bob = new RtpPeer(0xB0B);

        h.Caller.Send(h.Invite(body: alice.Sdp("alice")));
        var bInvite = await CallHarness.NextRequestAsync(h.Callee, "INVITE");
        h.CalleeResponds(bInvite, 100, "Trying");
        h.CalleeResponds(bInvite, 486, "Busy Here");
        await CallHarness.NextRequestAsync(h.Callee, "ACK");
        var carolInvite = await CallHarness.NextRequestAsync(f.Carol, "INVITE");
        CallHarness.Responds(f.Carol, carolInvite, 100, "Trying", toTag: null, user: "carol");
        CallHarness.Responds(f.Carol, carolInvite, 180, "Ringing", toTag: "c1", user: "carol");
        await CallHarness.NextResponseAsync(h.Caller, 180);
        var answer = await f.CarolAnswersAsync(carolInvite);
        var row = page.Locator($"[data-testid=call-row][data-call-id='{h.CallId}']");
        await Expect(row).ToContainTextAsync("Connected");
        await Expect(row).ToContainTextAsync("forward-busy");
        await f.CallerHangsUpOnCarolAsync(answer);
        await h.AssertEndedAsync("answered");

        // Opened from the recent calls, after the call: the ladder is kept after the end.
        var recent = page.Locator($"[data-testid=recent-calls] tr[data-call-id='{h.CallId}']");
        await Expect(recent).ToContainTextAsync("forward-busy");
        await recent.GetByRole(AriaRole.Button, new() { Name = "Ladder" }).ClickAsync();
        var arrows = await browser.WaitForArrowsAsync(a =>
            LadderArrow.InOrder(a, "A", ("INVITE", "in"), ("100", "out"), ("181", "out"), ("180", "out"), ("200", "out"), ("ACK", "in"), ("BYE", "in"), ("200", "out")) &&
            LadderArrow.InOrder(a, "B1", ("INVITE", "out"), ("100", "in"), ("486", "in"), ("ACK", "out")) &&
            LadderArrow.InOrder(a, "B2", CalleeSide));
        Assert.Equal(["A", "B2BUA", "B1", "B2"], await page.GetByTestId("ladder-column").EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.leg)"));

        // The B-leg to carol is the one that went to her.
        await page.Locator("[data-testid=ladder-arrow][data-leg=B2][data-label=INVITE]").ClickAsync();
        await Expect(page.GetByTestId("message-detail")).ToContainTextAsync("Diversion: <sip:bob@example.test>;reason=user-busy");
        Assert.True(arrows.First(a => a.Leg == "B2").Seq > arrows.Last(a => a.Leg == "B1" && a.Kind == "486").Seq, "carol is rung after bob's 486");

        await browser.ScreenshotAsync("forwarded-call-ladder");

        // The picture in docs/console.md: a screen tall enough for the whole ladder beside the selected message.
        await page.SetViewportSizeAsync(ConsoleBrowser.Laptop.Width, 1200);
        var docsPicture = await browser.ScreenshotAsync("console-ladder");
        if (Environment.GetEnvironmentVariable(ScreenshotDirVariable) is { Length: > 0 } docs)
        {
            File.Copy(docsPicture, Path.Combine(docs, "console-ladder.png"), overwrite: true);
        }

        // On a phone the page is one column that fits the screen; only the ladder and tables scroll sideways.
        await page.SetViewportSizeAsync(ConsoleBrowser.Phone.Width, ConsoleBrowser.Phone.Height);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the phone page scrolls sideways");
        await Expect(page.GetByTestId("ladder-column")).ToHaveCountAsync(4);
        await browser.ScreenshotAsync("forwarded-call-ladder-phone", fullPage: true);
        Assert.Empty(browser.Errors);
    }
    [RequiresPeerFact(ConsoleBrowser.Program, "chromium")]
    public async Task ATraceCutShort_ShowsHowManyMessagesWereLeftOut_AndTheLadderOpensFromItsAddress()
    {
        await using var h = await CallHarness.StartAsync("--Console:TraceMessagesPerCall=6");
        await h.AnswerAndHangUpAsync();

        await using var browser = await ConsoleBrowser.OpenAsync(h.Server, ConsoleBrowser.Laptop, "/#call=" + Uri.EscapeDataString(h.CallId));

        // The first and the latest messages are kept; the row between says how many the seq numbers skip.
        var arrows = await browser.WaitForArrowsAsync(a => a.Count == 6);
        Assert.Equal(("A", "INVITE", "in"), (arrows[0].Leg, arrows[0].Label, arrows[0].Direction));
        var (before, after) = Assert.Single(arrows.Zip(arrows.Skip(1)), pair => pair.Second.Seq > pair.First.Seq + 1);
        await Expect(browser.Page.Locator(".gap")).ToHaveTextAsync($"⋯ {after.Seq - before.Seq - 1} messages not kept ⋯");
        Assert.Empty(browser.Errors);
    }
}
