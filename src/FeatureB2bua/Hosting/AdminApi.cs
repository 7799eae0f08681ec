using FeatureB2bua.Core.Calls;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.Subscribers;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>The JSON admin API of DESIGN.md §6: subscribers, registrations, active calls and CDRs, the drain, and bans. Password hashes never leave the server; the rule for the token is <see cref="AdminToken"/>.</summary>
internal static class AdminApi
{
    private const int DefaultCdrLimit = 100;
    private const int MaxCdrLimit = 1000;

    public static void MapAdminApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter(AdminToken.Require);
        api.MapGet("/subscribers", async (ISubscriberStore store, CancellationToken ct) =>
            (await store.ListAsync(ct)).Select(SubscriberView.From));
        api.MapGet("/subscribers/{user}", async (string user, ISubscriberStore store, CancellationToken ct) =>
            await store.GetAsync(user, ct) is { } s ? Results.Ok(SubscriberView.From(s)) : Results.NotFound());
        api.MapPut("/subscribers/{user}", PutSubscriberAsync);
        api.MapDelete("/subscribers/{user}", DeleteSubscriberAsync);
        api.MapGet("/calls", (CallRegistry calls, TimeProvider time) => CallView.Current(calls, time)).OpenToRead();
        api.MapGet("/cdrs", GetCdrsAsync).OpenToRead();
        api.MapGet("/upstreams", (UpstreamHealth health) => health.Snapshot().Select(UpstreamView.From)).OpenToRead();
        api.MapPost("/drain", (DrainingLifetime lifetime) => Results.Accepted(value: new DrainView(lifetime.BeginDrain())));
        api.MapGet("/registrations", (ILocationStore locations, TimeProvider time, CancellationToken ct) => RegistrationView.CurrentAsync(locations, time, ct)).OpenToRead();
        api.MapBans();
    }

    /// <summary>The CDRs of the calls that ended last, newest first; <c>since</c> and <c>until</c> bound the end time as [since, until).</summary>
    private static async Task<IResult> GetCdrsAsync(ICallRecordStore records, CancellationToken ct, int limit = DefaultCdrLimit, DateTimeOffset? since = null, DateTimeOffset? until = null)
    {
        if (limit is < 1 or > MaxCdrLimit)
        {
            return Results.BadRequest(new { error = $"limit is 1 to {MaxCdrLimit}" });
        }

        return Results.Ok(await records.ListRecentAsync(limit, since, until, ct));
    }

    /// <summary>PUT creates or changes a subscriber; a new one needs a password, an existing one keeps its own unless given.</summary>
    private static async Task<IResult> PutSubscriberAsync(
        string user, SubscriberUpdate body, ISubscriberStore store, IOptions<SipOptions> sip, CancellationToken ct)
    {
        if (!SubscriberCredentials.IsValidUser(user))
        {
            return Results.BadRequest(new { error = "user names are letters, digits and - _ . + ! ~ *" });
        }

        var existing = await store.GetAsync(user, ct);
        if (existing is null && string.IsNullOrEmpty(body.Password))
        {
            return Results.BadRequest(new { error = "a new subscriber needs a password" });
        }

        var subscriber = string.IsNullOrEmpty(body.Password) ? existing! : SubscriberCredentials.Create(user, body.Password, sip.Value.Domain);
        subscriber = subscriber with
        {
            MayRegister = body.MayRegister ?? existing?.MayRegister ?? [],
            Features = body.Features ?? existing?.Features ?? new SubscriberFeatures(),
        };
        await store.UpsertAsync(subscriber, ct);
        return existing is null ? Results.Created($"/api/subscribers/{user}", SubscriberView.From(subscriber)) : Results.Ok(SubscriberView.From(subscriber));
    }

    /// <summary>Removing a subscriber removes its bindings too: nothing may ring a user who no longer exists.</summary>
    private static async Task<IResult> DeleteSubscriberAsync(
        string user, ISubscriberStore store, ILocationStore locations, Registrar registrar, IOptions<SipOptions> sip, CancellationToken ct)
    {
        if (!await store.RemoveAsync(user, ct))
        {
            return Results.NotFound();
        }

        await locations.RemoveAllAsync(AddressOfRecord.For(user, sip.Value.Domain), ct);
        await registrar.RefreshActiveCountAsync(ct);
        return Results.NoContent();
    }

    private sealed record SubscriberView(string User, IReadOnlyList<string> MayRegister, SubscriberFeatures Features)
    {
        public static SubscriberView From(Subscriber s) => new(s.User, s.MayRegister, s.Features);
    }

    private sealed record UpstreamView(
        string Upstream, bool Usable, string Probe, string Breaker, int ConsecutiveProbeFailures, DateTimeOffset? LastProbeAt, int? LastProbeStatus, string? LastProbeResult)
    {
        public static UpstreamView From(UpstreamStatus s) => new(
            s.Upstream, s.Usable, s.Probe.ToString().ToLowerInvariant(), s.Breaker.ToString().ToLowerInvariant(), s.ConsecutiveProbeFailures, s.LastProbeAt, s.LastProbeStatus, s.LastProbeResult);
    }

    /// <summary>The answer to <c>POST /api/drain</c>: the node is draining and stops once these calls have ended (or the drain timed out).</summary>
    private sealed record DrainView(int CallsRemaining);
}

/// <summary>The body of PUT /api/subscribers/{user}.</summary>
internal sealed record SubscriberUpdate(string? Password, List<string>? MayRegister, SubscriberFeatures? Features);
