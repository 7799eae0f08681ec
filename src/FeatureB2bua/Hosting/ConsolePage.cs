using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace FeatureB2bua.Hosting;

/// <summary>
/// The web console's static files (<c>/</c>, <c>/console.js</c>, <c>/console.css</c>), embedded in this assembly so the
/// host needs no web root and no build step. Each answer carries a strong ETag and <c>Cache-Control: no-cache</c>: a
/// browser revalidates on every load and gets 304 until the host is upgraded to a different page.
/// </summary>
internal static class ConsolePage
{
    /// <summary>
    /// Same-origin only: no inline script or style (the page has none), no framing (clickjacking of the hang-up
    /// button), and no connection anywhere but this host's own API.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, StaticFile> Files = new Dictionary<string, StaticFile>
    {
        ["/"] = StaticFile.Load("Console/index.html", "text/html; charset=utf-8"),
        ["/console.js"] = StaticFile.Load("Console/console.js", "text/javascript; charset=utf-8"),
        ["/console.css"] = StaticFile.Load("Console/console.css", "text/css; charset=utf-8"),
    }.ToFrozenDictionary();

    public static void MapConsolePage(this WebApplication app)
    {
        foreach (var (path, file) in Files)
        {
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Serve(context, file));
        }
    }

    private static IResult Serve(HttpContext context, StaticFile file)
    {
        var headers = context.Response.Headers;
        headers.ETag = file.ETag.ToString();
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";

        // RFC 9110 §13.1.2: If-None-Match compares weakly, and a matching "*" or tag means the client's copy is current.
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(file.ETag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(file.Content, file.ContentType);
    }

    private sealed record StaticFile(byte[] Content, string ContentType, EntityTagHeaderValue ETag)
    {
        public static StaticFile Load(string name, string contentType)
        {
            using var stream = typeof(ConsolePage).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The console file {name} is not embedded in the host assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var tag = Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16));
            return new StaticFile(content, contentType, new EntityTagHeaderValue($"\"{tag}\""));
        }
    }
}
