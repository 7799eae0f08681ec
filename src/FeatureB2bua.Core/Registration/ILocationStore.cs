namespace FeatureB2bua.Core.Registration;

/// <summary>
/// The location service: bindings by address-of-record. Reads never return a binding expired at
/// <c>now</c>, so a binding is gone on time even between reaper runs. Writes for one AOR are applied
/// together, so a REGISTER is all or nothing (RFC 3261 §10.3 step 6-7).
/// </summary>
public interface ILocationStore
{
    Task<IReadOnlyList<Binding>> GetBindingsAsync(string aor, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Every live binding of every AOR, for the admin API.</summary>
    Task<IReadOnlyList<Binding>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>In one transaction: remove the listed contacts of <paramref name="aor"/>, then add or replace the given bindings (matched by AOR and contact).</summary>
    Task ApplyAsync(string aor, IReadOnlyCollection<string> removeContacts, IReadOnlyCollection<Binding> upserts, CancellationToken cancellationToken = default);

    /// <summary>Removes every binding of the AOR; returns how many there were.</summary>
    Task<int> RemoveAllAsync(string aor, CancellationToken cancellationToken = default);

    /// <summary>Deletes bindings expired at <paramref name="now"/>; returns how many.</summary>
    Task<int> RemoveExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<int> CountAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
