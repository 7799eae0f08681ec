using FeatureB2bua.Core.Registration;

namespace FeatureB2bua.Hosting;

/// <summary>The location store as configured, telling the console when a binding was added, changed or removed (by a REGISTER, the reaper or the admin API).</summary>
internal sealed class NotifyingLocationStore(ILocationStore inner, ConsoleEventHub events) : ILocationStore
{
    public Task<IReadOnlyList<Binding>> GetBindingsAsync(string aor, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.GetBindingsAsync(aor, now, cancellationToken);

    public Task<IReadOnlyList<Binding>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.ListAsync(now, cancellationToken);

    public async Task ApplyAsync(string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts, CancellationToken cancellationToken = default)
    {
        await inner.ApplyAsync(aor, removeContacts, upserts, cancellationToken).ConfigureAwait(false);
        if (removeContacts.Count > 0 || upserts.Count > 0)
        {
            events.Publish(ConsoleEvent.Registrations);
        }
    }

    public Task<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default) =>
        Notify(inner.RemoveAllAsync(aor, cancellationToken));

    public Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Notify(inner.RemoveExpiredAsync(now, cancellationToken));

    public Task<int> CountAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.CountAsync(now, cancellationToken);

    private async Task<int> Notify(Task<int> removal)
    {
        var removed = await removal.ConfigureAwait(false);
        if (removed > 0)
        {
            events.Publish(ConsoleEvent.Registrations);
        }

        return removed;
    }
}
