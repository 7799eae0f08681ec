using FeatureB2bua.Core.Registration;

namespace FeatureB2bua.Hosting;

/// <summary>A binding as <c>GET /api/registrations</c> and the console's <c>registrations</c> event show it.</summary>
internal sealed record RegistrationView(string Aor, string Contact, double Q, int ExpiresIn, string Source, string? UserAgent)
{
    public static async Task<IEnumerable<RegistrationView>> CurrentAsync(ILocationStore locations, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await locations.ListAsync(now, cancellationToken).ConfigureAwait(false)).Select(b => new RegistrationView(
            b.Aor, b.Contact, b.Q / 1000.0, (int)Math.Ceiling(b.RemainingAt(now).TotalSeconds), b.Source, b.UserAgent));
    }
}
