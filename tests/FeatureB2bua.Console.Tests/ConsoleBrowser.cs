using System.Text.Json;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FeatureB2bua.Console.Tests;

/// <summary>
/// Debian's chromium, headless, driven by Playwright, with the console of a running server open in one page. It never
/// uses a browser of Playwright's own download. Script errors and failed requests of the page are collected, so a test
/// can assert the page ran clean.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string Program = "chromium";

    /// <summary>A laptop screen and a phone (an iPhone 12-15's CSS pixels), the two sizes the page is checked at.</summary>
    public static readonly ViewportSize Laptop = new() { Width = 1280, Height = 800 };

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>The name of the test collection of every browser test: one chromium at a time on a machine of two cores.</summary>
    public const string Collection = "browser";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];

    /// <summary>Five seconds, Playwright's default wait for a page to show something, is short on a loaded CI machine.</summary>
    static ConsoleBrowser() => Assertions.SetDefaultExpectTimeout(15_000);

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.PageError += (_, error) => Record("script error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text} ({message.Location})");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>What went wrong in the page so far: script errors, console errors (a refused request, a CSP violation).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Where screenshots go: <c>screenshots/</c> in the test output directory.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>A browser with the console of <paramref name="server"/> loaded in a page of <paramref name="viewport"/>'s size.</summary>
    public static async Task<ConsoleBrowser> OpenAsync(ServerFixture server, ViewportSize viewport, string path = "/")
    {
        var executable = PeerProgram.Find(Program) ?? throw new InvalidOperationException("chromium is not installed (apt-get install chromium); CI installs it through .ci/run.");
        var playwright = await Playwright.CreateAsync();
        IBrowser? browser = null;
        try
        {
            browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = executable, Headless = true, Args = Arguments });
            var page = await browser.NewPageAsync(new() { ViewportSize = viewport, BaseURL = server.Http.BaseAddress!.ToString() });
            var console = new ConsoleBrowser(playwright, browser, page);
            await page.GotoAsync(path);

            // The page is live once its event stream is open.
            await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");
            return console;
        }
        catch
        {
            if (browser is not null)
            {
                await browser.DisposeAsync();
            }

            playwright.Dispose();
            throw;
        }
    }

    /// <summary>The arrows of the open ladder, top to bottom.</summary>
    public async Task<IReadOnlyList<LadderArrow>> ArrowsAsync() =>
        JsonSerializer.Deserialize<LadderArrow[]>(
            await Page.GetByTestId("ladder-arrow").EvaluateAllAsync<string>(
                "arrows => JSON.stringify(arrows.map(a => ({ leg: a.dataset.leg, label: a.dataset.label, direction: a.dataset.direction, seq: Number(a.dataset.seq) })))"),
            JsonSerializerOptions.Web)!;

    /// <summary>Waits until the open ladder's arrows satisfy <paramref name="done"/>, and returns them.</summary>
    public async Task<IReadOnlyList<LadderArrow>> WaitForArrowsAsync(Func<IReadOnlyList<LadderArrow>, bool> done, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var arrows = await ArrowsAsync();
            if (done(arrows))
            {
                return arrows;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail("The ladder never showed what was expected; it shows: " + string.Join(", ", arrows));
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Saves the page as it is now as <c>{name}.png</c> in <see cref="ScreenshotDirectory"/>, and returns the path.</summary>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = false)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
