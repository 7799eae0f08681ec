using System.Text;
using FeatureB2bua.Sip.Parsing;

namespace FeatureB2bua.Sip.Headers;

/// <summary>Reads and looks up <c>;name=value</c> lists; parameter names compare case-insensitively (RFC 3261 §7.3.1).</summary>
public static class ParameterList
{
    public static SipParameter? Find(IReadOnlyList<SipParameter> parameters, string name)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (string.Equals(parameters[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return parameters[i];
            }
        }

        return null;
    }

    public static string? GetValue(IReadOnlyList<SipParameter> parameters, string name) => Find(parameters, name)?.Value;

    public static void Append(StringBuilder builder, IReadOnlyList<SipParameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            builder.Append(';').Append(parameter.Name);
            if (parameter.Value is not null)
            {
                builder.Append('=').Append(parameter.Value);
            }
        }
    }

    /// <summary>
    /// Reads <c>*( SEMI generic-param )</c> to the end of the scanner. An empty parameter (";;") is an error
    /// (RFC 4475 §3.1.2.1). Values are token, host (IPv6 references too) or quoted-string; quotes are kept.
    /// </summary>
    internal static bool TryRead(ref SipScanner scanner, List<SipParameter> into)
    {
        while (true)
        {
            scanner.SkipLws();
            if (scanner.AtEnd)
            {
                return true;
            }

            if (!scanner.TryConsumeSeparator((byte)';') || !scanner.TryReadToken(out var name))
            {
                return false;
            }

            string? value = null;
            if (scanner.TryConsumeSeparator((byte)'='))
            {
                var start = scanner.Position;
                if (scanner.Peek((byte)'"'))
                {
                    if (!scanner.TryReadQuotedString(out _))
                    {
                        return false;
                    }
                }
                else
                {
                    while (!scanner.AtEnd && (ByteClass.IsToken(scanner.Current) || scanner.Current is (byte)':' or (byte)'[' or (byte)']'))
                    {
                        scanner.Position++;
                    }
                }

                if (scanner.Position == start)
                {
                    return false;
                }

                value = Encoding.UTF8.GetString(scanner.Slice(start, scanner.Position));
            }

            into.Add(new SipParameter(Encoding.ASCII.GetString(name), value));
        }
    }
}
