using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Tracing;

namespace FeatureB2bua.Hosting;

/// <summary>
/// The console's API (docs/console.md): the SIP traces as JSON and text, the live events, whether actions need the
/// token, and the two actions, hanging up a call and removing registrations. Reads are open, actions need the token
/// when one is configured (<see cref="AdminToken"/>).
/// </summary>
internal static class ConsoleApi
{
    /// <summary>The CDR result of a call the operator hung up.</summary>
    public const string HangUpResult = "admin";

    public static void MapConsoleApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(AdminToken.Require);
        api.MapGet("/traces", (TraceBook book) => book.List().Select(TraceListItem.From)).OpenToRead();
        api.MapGet("/calls/{callId}/trace", (string callId, TraceBook book) =>
            book.Find(callId) is { } trace ? Results.Ok(TraceView.From(trace)) : Results.NotFound()).OpenToRead();
        api.MapGet("/calls/{callId}/trace.txt", (string callId, TraceBook book) =>
            book.Find(callId) is { } trace ? Results.Text(TraceTextExport.Write(trace), "text/plain; charset=utf-8") : Results.NotFound()).OpenToRead();
        api.MapGet("/events", ConsoleEventStream.RunAsync).OpenToRead();
        api.MapGet("/console", (HttpContext http) => new ConsoleView(AdminToken.IsConfigured(http), AdminToken.IsValid(http))).OpenToRead();
        api.MapDelete("/calls/{callId}", HangUp);
        api.MapDelete("/registrations/{aor}", RemoveRegistrationsAsync);
    }

    /// <summary>Through the call's own teardown: BYE to both legs once answered, else the branches cancelled and the caller told 487.</summary>
    private static IResult HangUp(string callId, CallRegistry calls)
    {
        if (calls.FindByCallId(callId) is not { } call || call.ACallId != callId)
        {
            return Results.NotFound();
        }

        call.Terminate(HangUpResult, 487, "Request Terminated");
        return Results.Accepted();
    }

    /// <summary>Every binding of the AOR, or only the one whose contact is <paramref name="contact"/>.</summary>
    private static async Task<IResult> RemoveRegistrationsAsync(
        string aor, ILocationStore locations, Registrar registrar, TimeProvider time, CancellationToken ct, string? contact = null)
    {
        int removed;
        if (contact is null)
        {
            removed = await locations.RemoveAllAsync(aor, ct);
        }
        else
        {
            removed = (await locations.GetBindingsAsync(aor, time.GetUtcNow(), ct)).Count(b => b.Contact == contact);
            if (removed > 0)
            {
                await locations.ApplyAsync(aor, [contact], [], ct);
            }
        }

        await registrar.RefreshActiveCountAsync(ct);
        return Results.Ok(new RemovedView(removed));
    }

    private sealed record ConsoleView(bool ActionsNeedToken, bool TokenValid);

    private sealed record RemovedView(int Removed);
}
