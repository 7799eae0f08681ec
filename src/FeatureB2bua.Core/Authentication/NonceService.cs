using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FeatureB2bua.Core.Authentication;

public enum NonceStatus : byte
{
    Valid,
    Stale,
    Invalid,
}

/// <summary>
/// Self-validating nonces: base64url(issue time || 8 random bytes || HMAC-SHA256(key, time || random || realm)[0..16]).
/// Nothing is stored per nonce, any node with the same key can check one, and a forged or altered nonce fails
/// the HMAC. The random part keeps two challenges of the same millisecond apart: otherwise two phones would
/// share a nonce and the second one's nc=1 would look like a replay.
/// </summary>
public sealed class NonceService
{
    private const int TimeBytes = 8;
    private const int RandomBytes = 8;
    private const int SignedBytes = TimeBytes + RandomBytes;
    private const int MacBytes = 16;
    private readonly byte[] _key;
    private readonly byte[] _realm;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    public NonceService(string secret, string realm, TimeSpan lifetime, TimeProvider time)
    {
        _key = secret.Length > 0 ? Encoding.UTF8.GetBytes(secret) : RandomNumberGenerator.GetBytes(32);
        _realm = Encoding.UTF8.GetBytes(realm);
        _lifetime = lifetime;
        _time = time;
    }

    public TimeSpan Lifetime => _lifetime;

    public string Issue()
    {
        Span<byte> nonce = stackalloc byte[SignedBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce[TimeBytes..SignedBytes]);
        Mac(nonce[..SignedBytes], nonce[SignedBytes..]);
        return Base64UrlEncode(nonce);
    }

    public NonceStatus Check(string nonce)
    {
        Span<byte> raw = stackalloc byte[SignedBytes + MacBytes + 2];
        if (!TryBase64UrlDecode(nonce, raw, out var length) || length != SignedBytes + MacBytes)
        {
            return NonceStatus.Invalid;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(raw[..SignedBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw[SignedBytes..(SignedBytes + MacBytes)]))
        {
            return NonceStatus.Invalid;
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(raw));
        var age = _time.GetUtcNow() - issued;
        return age < TimeSpan.FromSeconds(-5) ? NonceStatus.Invalid : age > _lifetime ? NonceStatus.Stale : NonceStatus.Valid;
    }

    private void Mac(ReadOnlySpan<byte> signed, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[SignedBytes + _realm.Length];
        signed.CopyTo(input);
        _realm.CopyTo(input[SignedBytes..]);
        Span<byte> full = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, full);
        full[..MacBytes].CopyTo(destination);
    }

    private static string Base64UrlEncode(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64UrlDecode(string text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length is 0 or > 64)
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.TryFromBase64String(padded, destination, out written);
    }
}
