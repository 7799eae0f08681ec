using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace FeatureB2bua.Sip.Auth;

/// <summary>
/// Builds the UTF-8 <c>a:b:c</c> input of a digest hash in a caller-supplied (usually stack) buffer, renting
/// only for long values. The buffer is wiped on <see cref="Dispose"/> because it may hold a password.
/// </summary>
internal ref struct DigestHashInput
{
    private Span<byte> _buffer;
    private byte[]? _rented;
    private int _length;
    private bool _started;

    public DigestHashInput(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    /// <summary>Appends a field, preceded by ':' unless it is the first (RFC 2617 §3.2.2.1 KD and A1/A2).</summary>
    public void Add(ReadOnlySpan<char> field)
    {
        var separator = _started ? 1 : 0;
        Reserve(separator + Encoding.UTF8.GetByteCount(field));
        if (_started)
        {
            _buffer[_length++] = (byte)':';
        }

        _length += Encoding.UTF8.GetBytes(field, _buffer[_length..]);
        _started = true;
    }

    /// <summary>Writes H(input) as lower-case hex (RFC 7616 §3.4.1) and returns the number of characters.</summary>
    public readonly int WriteHash(DigestAlgorithm algorithm, Span<char> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var input = _buffer[.._length];
        var size = algorithm switch
        {
            DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess => HashMd5(input, hash),
            DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess => SHA256.HashData(input, hash),
            _ => throw new ArgumentException(DigestCalculator.Sha512_256Refusal, nameof(algorithm)),
        };
        Convert.TryToHexStringLower(hash[..size], destination, out var written);
        CryptographicOperations.ZeroMemory(hash);
        return written;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_buffer[.._length]);
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }

        _buffer = default;
        _length = 0;
    }

    [SuppressMessage("Security", "CA5351", Justification = "RFC 3261 §22.4 mandates MD5 Digest; RFC 8760 keeps it for backward compatibility.")]
    private static int HashMd5(ReadOnlySpan<byte> input, Span<byte> hash) => MD5.HashData(input, hash);

    private void Reserve(int count)
    {
        if (_length + count <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
        _buffer[.._length].CopyTo(larger);
        CryptographicOperations.ZeroMemory(_buffer[.._length]);
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }

        _rented = larger;
        _buffer = larger;
    }
}
