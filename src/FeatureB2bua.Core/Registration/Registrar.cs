using System.Globalization;
using FeatureB2bua.Core.Routing;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Sip.Headers;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Registration;

/// <summary>
/// The registrar rules of RFC 3261 §10.3, in one place. Authentication (step 3) happens before this is
/// called; the user it proved comes in as <c>authenticatedUser</c> (null for a trusted source).
/// </summary>
public sealed class Registrar(
    ILocationStore locations,
    ISubscriberStore subscribers,
    RegistrarOptions options,
    string domain,
    TimeProvider time,
    RegistrarMetrics metrics)
{
    private readonly LocalDomain _local = new(domain, options.Aliases);
    private readonly SemaphoreSlim[] _aorLocks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<SipMessage> RegisterAsync(SipMessage request, string? authenticatedUser, CancellationToken cancellationToken = default)
    {
        var (response, outcome) = await ProcessAsync(request, authenticatedUser, cancellationToken).ConfigureAwait(false);
        metrics.Register(outcome);
        return response;
    }

    public async Task RefreshActiveCountAsync(CancellationToken cancellationToken = default) =>
        metrics.SetActiveBindings(await locations.CountAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The checks that need no store and no credentials (steps 1 and 5, and the syntax of Contact and Expires):
    /// a REGISTER that can never succeed is refused before it is challenged.
    /// </summary>
    public SipMessage? Precheck(SipMessage request)
    {
        var refusal = PrecheckRefusal(request);
        if (refusal is null)
        {
            return null;
        }

        metrics.Register(RegistrationOutcome.Rejected);
        return Refuse(request, refusal.Value);
    }

    private Refusal? PrecheckRefusal(SipMessage request)
    {
        // §10.2: the To of a REGISTER is a SIP or SIPS AOR; anything else is malformed (RFC 4475 §3.3.4 asks 400),
        // whichever domain it was sent to.
        if (!request.To!.Uri.IsSip)
        {
            return new Refusal(400, "Bad To");
        }

        // §10.3 step 1: only bindings of our own domain live here.
        if (!_local.IsUs(request.RequestUri!.Host, request))
        {
            return new Refusal(404, "Domain Not Served Here");
        }

        if (request.Contacts is null)
        {
            return new Refusal(400, "Bad Contact");
        }

        if (request.HasHeader(HeaderId.Expires) && request.Expires is null)
        {
            return new Refusal(400, "Bad Expires");
        }

        return null;
    }

    private async Task<(SipMessage, RegistrationOutcome)> ProcessAsync(SipMessage request, string? authenticatedUser, CancellationToken cancellationToken)
    {
        if (PrecheckRefusal(request) is { } refusal)
        {
            return (Refuse(request, refusal), RegistrationOutcome.Rejected);
        }

        if (AddressOfRecord.FromUri(request.To!.Uri, domain) is not { } aor)
        {
            return Reject(request, 404, "Not Found");
        }

        // Step 4: a user registers itself, or others only where provisioned (third-party registration, §10.2).
        // Checked before whether the AOR exists, so a subscriber cannot use 403 against 404 to list the others.
        var user = AddressOfRecord.UserOf(aor);
        if (authenticatedUser is not null && !string.Equals(authenticatedUser, user, StringComparison.Ordinal))
        {
            var registrant = await subscribers.GetAsync(authenticatedUser, cancellationToken).ConfigureAwait(false);
            if (registrant is null || !registrant.MayRegister.Contains(user, StringComparer.Ordinal))
            {
                return Reject(request, 403, "Not Allowed To Register This Address");
            }
        }

        if (await subscribers.GetAsync(user, cancellationToken).ConfigureAwait(false) is null)
        {
            return Reject(request, 404, "Not Found");
        }

        var contacts = request.Contacts!;
        var expiresHeader = request.Expires;

        if (contacts.Count == 0)
        {
            // §10.3 step 6: no Contact is a query.
            return (await OkAsync(request, aor, cancellationToken).ConfigureAwait(false), RegistrationOutcome.Queried);
        }

        var plan = Plan(contacts, expiresHeader, out var planRefusal);
        if (planRefusal is not null)
        {
            return (Refuse(request, planRefusal.Value), RegistrationOutcome.Rejected);
        }

        var gate = _aorLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(aor) % _aorLocks.Length)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var existing = await locations.GetBindingsAsync(aor, now, cancellationToken).ConfigureAwait(false);
            var callId = request.CallId!;
            var cseq = request.CSeq!.Number;

            // Step 7: a binding last written by this Call-ID must see a higher CSeq, or the update is out of order.
            foreach (var binding in existing)
            {
                var touched = plan.Wildcard || plan.Entries.Exists(e => e.Contact == binding.Contact);
                if (touched && binding.CallId == callId && cseq <= binding.CSeq)
                {
                    return Reject(request, 400, "CSeq Out Of Order");
                }
            }

            var removals = plan.Wildcard
                ? existing.Select(b => b.Contact).ToList()
                : plan.Entries.Where(e => e.ExpiresSeconds == 0).Select(e => e.Contact).ToList();
            var source = $"{request.Source!.Protocol.ToString().ToLowerInvariant()}:{request.Source.Remote}";
            var upserts = plan.Entries.Where(e => e.ExpiresSeconds > 0)
                .Select(e => new Binding(aor, e.Contact, e.Q, now.AddSeconds(e.ExpiresSeconds), callId, cseq, source, now)
                {
                    UserAgent = request.GetHeader(HeaderId.UserAgent),
                })
                .ToList();
            await locations.ApplyAsync(aor, removals, upserts, cancellationToken).ConfigureAwait(false);
            var response = await OkAsync(request, aor, cancellationToken).ConfigureAwait(false);
            return (response, upserts.Count > 0 ? RegistrationOutcome.Registered : RegistrationOutcome.Unregistered);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Step 6: each contact's expiry (its own parameter, else the Expires header, else the default), checked and capped.</summary>
    private RegistrationPlan Plan(IReadOnlyList<ContactHeader> contacts, uint? expiresHeader, out Refusal? refusal)
    {
        refusal = null;
        var plan = new RegistrationPlan();
        if (contacts.Any(c => c.IsWildcard))
        {
            // §10.2.2: "*" only alone and only with Expires: 0.
            if (contacts.Count != 1 || expiresHeader != 0)
            {
                refusal = new Refusal(400, "Invalid Wildcard Contact");
            }

            plan.Wildcard = true;
            return plan;
        }

        foreach (var contact in contacts)
        {
            var uri = contact.Address!.Uri;
            if (!uri.IsSip)
            {
                refusal = new Refusal(416, "Unsupported URI Scheme");
                return plan;
            }

            var requested = contact.Expires ?? expiresHeader ?? (uint)options.DefaultExpiresSeconds;
            if (requested != 0 && requested < options.MinExpiresSeconds)
            {
                refusal = new Refusal(423, "Interval Too Brief");
                return plan;
            }

            plan.Entries.Add(new PlannedContact(uri.Raw, contact.Q ?? 1000, (int)Math.Min(requested, (uint)options.MaxExpiresSeconds)));
        }

        return plan;
    }

    /// <summary>Step 8: 200 OK listing every current binding with its remaining time, and a Date.</summary>
    private async Task<SipMessage> OkAsync(SipMessage request, string aor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var bindings = await locations.GetBindingsAsync(aor, now, cancellationToken).ConfigureAwait(false);
        return ResponseBuilder.Create(request, 200, "OK", TagGenerator.New(), writer =>
        {
            foreach (var binding in bindings)
            {
                writer.BeginHeader(HeaderId.Contact);
                writer.Write((byte)'<');
                writer.WriteUtf8(binding.Contact);
                writer.Write(">;expires="u8);
                writer.WriteNumber((long)Math.Ceiling(binding.RemainingAt(now).TotalSeconds));
                if (binding.Q != 1000)
                {
                    writer.Write(";q="u8);
                    writer.WriteAscii((binding.Q / 1000.0).ToString("0.###", CultureInfo.InvariantCulture));
                }

                writer.WriteCrlf();
            }

            writer.WriteHeader(HeaderId.Date, now.ToString("r", CultureInfo.InvariantCulture));
        });
    }

    private SipMessage Refuse(SipMessage request, Refusal refusal) =>
        ResponseBuilder.Create(request, refusal.Status, refusal.Reason, TagGenerator.New(), refusal.Status == 423
            ? w => w.WriteHeader(HeaderId.MinExpires, options.MinExpiresSeconds)
            : null);

    private static (SipMessage, RegistrationOutcome) Reject(SipMessage request, int status, string reason) =>
        (ResponseBuilder.Create(request, status, reason, TagGenerator.New()), RegistrationOutcome.Rejected);

    private readonly record struct Refusal(int Status, string Reason);

    private readonly record struct PlannedContact(string Contact, int Q, int ExpiresSeconds);

    private sealed class RegistrationPlan
    {
        public bool Wildcard { get; set; }

        public List<PlannedContact> Entries { get; } = [];
    }
}
