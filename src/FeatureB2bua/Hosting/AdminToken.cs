using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>
/// The rule of <c>Admin:Token</c> for <c>/api</c>: when a token is configured, a request needs
/// <c>Authorization: Bearer &lt;token&gt;</c>, except the reads marked <see cref="OpenToRead"/> (what the console page
/// shows: calls, registrations, upstreams, CDRs, traces, events). Every change and the subscriber and ban reads
/// stay behind it. With no token everything is open.
/// </summary>
internal static class AdminToken
{
    public static bool IsConfigured(HttpContext context) => !string.IsNullOrEmpty(Configured(context));

    /// <summary>The request carries the configured token, or none is configured.</summary>
    public static bool IsValid(HttpContext context)
    {
        var token = Configured(context);
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes("Bearer " + token));
    }

    public static async ValueTask<object?> Require(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<OpenRead>() is not null || IsValid(context.HttpContext)
            ? await next(context)
            : Results.Unauthorized();

    /// <summary>Marks a read the console page may make without the token.</summary>
    public static RouteHandlerBuilder OpenToRead(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(OpenRead.Instance);

    private static string? Configured(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.Token;

    private sealed class OpenRead
    {
        public static OpenRead Instance { get; } = new();
    }
}
