using System.Buffers;
using System.Text;
using FeatureB2bua.Sip.Messages;

namespace FeatureB2bua.Core.Security;

/// <summary>Recognises the User-Agent of a known scanning tool, without allocating.</summary>
public sealed class ScannerFilter(IEnumerable<string> userAgents)
{
    // Scanners name themselves at the start of the header; a longer one is looked at only this far.
    private const int MaxExamined = 256;

    private readonly SearchValues<string> _names = SearchValues.Create([.. userAgents.Where(u => u.Length > 0)], StringComparison.OrdinalIgnoreCase);

    public bool IsScanner(SipMessage request)
    {
        if (!request.TryGetHeader(HeaderId.UserAgent, out var value) || value.IsEmpty)
        {
            return false;
        }

        value = value[..Math.Min(value.Length, MaxExamined)];
        Span<char> text = stackalloc char[value.Length];
        var length = Encoding.Latin1.GetChars(value, text);
        return text[..length].ContainsAny(_names);
    }
}
