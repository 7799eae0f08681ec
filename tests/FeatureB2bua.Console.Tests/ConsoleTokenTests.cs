using System.Net.Http.Json;
using System.Text.Json;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Features;
using FeatureB2bua.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace FeatureB2bua.Console.Tests;

/// <summary>
/// With Admin:Token configured the console is read-only until the right token is entered; with it, hang-up and remove
/// act on the server. With none configured, the actions are open and the page says so.
/// </summary>
[Collection(ConsoleBrowser.Collection)]
public sealed class ConsoleTokenTests
{
    private const string Token = "console-test-token";

    [RequiresPeerFact(ConsoleBrowser.Program, "chromium")]
    public async Task WithATokenConfigured_ThePageIsReadOnlyUntilTheRightTokenIsEntered_ThenHangsUpAndRemoves()
    {
        await using var f = await FeatureHarness.StartAsync(new() { ["dave"] = new { } }, null, $"--Admin:Token={Token}");
        var h = f.Call;
        using var davePhone = new UdpSipClient(h.Server.UdpEndPoint);
        var registered = await new RegisteringPhone(davePhone, "dave", "dave-pw").RegisterAsync($"Contact: <sip:dave@{davePhone.LocalEndPoint}>\nExpires: 600\n");
        Assert.Equal(200, registered.StatusCode);
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        await using var browser = await ConsoleBrowser.OpenAsync(h.Server, ConsoleBrowser.Laptop);
        var page = browser.Page;
        var row = page.Locator($"[data-testid=call-row][data-call-id='{h.CallId}']");
        var binding = page.GetByTestId("registrations").Locator("tbody tr");

        // Read-only: the reads show everything, no action is offered, and no banner says the actions are open.
        await Expect(row).ToContainTextAsync("Connected");
        await Expect(binding).ToContainTextAsync("dave@example.test");
        await Expect(page.GetByTestId("hangup")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("remove-registration")).ToHaveCountAsync(0);
        await Expect(page.Locator("#open-banner")).ToBeHiddenAsync();

        await page.GetByTestId("token-input").FillAsync("not-" + Token);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Use" }).ClickAsync();
        await Expect(page.Locator("#token-state")).ToHaveTextAsync("token refused: read-only");
        await Expect(page.GetByTestId("hangup")).ToHaveCountAsync(0);

        await page.GetByTestId("token-input").FillAsync(Token);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Use" }).ClickAsync();
        await Expect(page.Locator("#token-state")).ToHaveTextAsync("token accepted");
        await Expect(row.GetByTestId("hangup")).ToHaveCountAsync(1);
        await Expect(binding.GetByTestId("remove-registration")).ToHaveCountAsync(1);

        // A hang-up asks once more, then both legs get a BYE.
        await row.GetByTestId("hangup").ClickAsync();
        await Expect(row.GetByTestId("hangup")).ToHaveTextAsync("Confirm hang-up");
        await row.GetByTestId("hangup").ClickAsync();
        var aBye = await CallHarness.NextRequestAsync(h.Caller, "BYE");
        var bBye = await CallHarness.NextRequestAsync(h.Callee, "BYE");
        h.Caller.Send(Sip.Messages.ResponseBuilder.Create(aBye, 200, "OK").Raw.ToArray());
        h.CalleeResponds(bBye, 200, "OK");
        await h.AssertEndedAsync("admin");
        await Expect(row).ToHaveCountAsync(0);

        await binding.GetByTestId("remove-registration").ClickAsync();
        await binding.GetByTestId("remove-registration").ClickAsync();
        await Expect(binding).ToHaveCountAsync(0);
        using var authorized = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/registrations", UriKind.Relative));
        authorized.Headers.Authorization = new("Bearer", Token);
        using var registrations = await h.Server.Http.SendAsync(authorized);
        Assert.Equal(0, (await registrations.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());

        // The token lives in the tab's session: a reload keeps it, Forget drops it.
        await page.ReloadAsync();
        await Expect(page.Locator("#token-state")).ToHaveTextAsync("token accepted");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Forget" }).ClickAsync();
        await Expect(page.Locator("#token-state")).ToHaveTextAsync("read-only");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('featureb2bua.console.token')"));
        Assert.Empty(browser.Errors);
    }

    [RequiresPeerFact(ConsoleBrowser.Program, "chromium")]
    public async Task WithoutATokenConfigured_TheActionsAreOpen_AndTheBannerSaysSo()
    {
        await using var h = await CallHarness.StartAsync();
        var (_, answer, _) = await h.AnswerAsync();
        h.Caller.Send(h.CallerRequest("ACK", answer, "z9hG4bKack"));

        await using var browser = await ConsoleBrowser.OpenAsync(h.Server, ConsoleBrowser.Laptop);

        await Expect(browser.Page.Locator("#open-banner")).ToBeVisibleAsync();
        await Expect(browser.Page.Locator($"[data-testid=call-row][data-call-id='{h.CallId}']").GetByTestId("hangup")).ToHaveCountAsync(1);
        Assert.Empty(browser.Errors);
    }
}
