using System.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FeatureB2bua.Hosting;

/// <summary>
/// <c>GET /healthz</c>: the process is alive (a container's HEALTHCHECK, a liveness probe). <c>GET /readyz</c>: the node
/// should get calls (a readiness probe, a balancer), 200 or 503, with one plain-text line per check so that an
/// operator sees which one failed.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessChecks.Tag),
            ResponseWriter = WriteLinesAsync,
        });
    }

    /// <summary>Lines such as <c>store: fail (unable to open database file)</c>; the status code says the verdict (503 when any failed).</summary>
    private static Task WriteLinesAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder();
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(name).Append(": ").Append(entry.Status == HealthStatus.Healthy ? "ok" : "fail");
            if (!string.IsNullOrEmpty(entry.Description))
            {
                text.Append(" (").Append(entry.Description.ReplaceLineEndings(" ")).Append(')');
            }

            text.Append('\n');
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }
}
