using Microsoft.Playwright;

namespace AspireVector.Tests.Dashboard.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (never <c>playwright install</c>) with one page, plus the folder its
/// screenshots go to: <c>AspireVector.Tests/TestResults/&lt;name&gt;/</c>.
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, IPage page, string screenshots)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        Screenshots = screenshots;
    }

    /// <summary>The page under test.</summary>
    public IPage Page { get; }

    /// <summary>Folder the screenshots are written to.</summary>
    public string Screenshots { get; }

    /// <summary>Launches headless Chromium with a 1500x1000 page; screenshots go to <c>TestResults/<paramref name="name"/></c>.</summary>
    public static async Task<DashboardBrowser> LaunchAsync(string name)
    {
        var screenshots = Path.Combine(DashboardProcess.RepositoryRoot(), "AspireVector.Tests", "TestResults", name);
        Directory.CreateDirectory(screenshots);
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 1000 } });
            return new DashboardBrowser(playwright, browser, page, screenshots);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Saves <c>&lt;file&gt;.png</c> of the whole page (or only the viewport, where dialogs show).</summary>
    public Task ScreenshotAsync(string file, bool fullPage = true) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, file + ".png"), FullPage = fullPage });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
