using System.Net;
using System.Net.Http.Headers;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Console.Tests;

/// <summary>The console's static files over HTTP: content types, revalidation by ETag, and the headers that keep the page same-origin.</summary>
public sealed class ConsolePageTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public ConsolePageTests(ServerFixture server) => _server = server;

    [Theory]
    [InlineData("/", "text/html", "<script src=\"/console.js\"")]
    [InlineData("/console.js", "text/javascript", "new EventSource('/api/events')")]
    [InlineData("/console.css", "text/css", "@media (max-width: 900px)")]
    public async Task EachFile_IsServedWithItsTypeAnETagAndNoCache(string path, string mediaType, string content)
    {
        using var response = await _server.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Contains(content, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task TheSameETag_Gets304WithoutABody_AnotherGetsTheFile()
    {
        using var first = await _server.Http.GetAsync(new Uri("/console.js", UriKind.Relative));
        var etag = first.Headers.ETag!;

        using var current = new HttpRequestMessage(HttpMethod.Get, new Uri("/console.js", UriKind.Relative));
        current.Headers.IfNoneMatch.Add(etag);
        using var notModified = await _server.Http.SendAsync(current);
        using var stale = new HttpRequestMessage(HttpMethod.Get, new Uri("/console.js", UriKind.Relative));
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123\""));
        using var modified = await _server.Http.SendAsync(stale);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await modified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ThePage_LoadsOnlyFromItsOwnOrigin_AndCannotBeFramed()
    {
        using var response = await _server.Http.GetAsync(new Uri("/", UriKind.Relative));
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownPath_IsNotThePage()
    {
        using var response = await _server.Http.GetAsync(new Uri("/console.map", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
