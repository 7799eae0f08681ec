using System.Globalization;
using System.Text;

namespace FeatureB2bua.Sip.Headers;

/// <summary>Who refreshes a session (RFC 4028 §4): the UAC or the UAS of the dialog-creating INVITE, or not yet chosen.</summary>
public enum SessionRefresher : byte
{
    Unspecified,
    Uac,
    Uas,
}

/// <summary>
/// Session-Expires (RFC 4028 §4): delta-seconds and an optional refresher parameter; other parameters are ignored
/// as the grammar's generic-param allows. The compact form is "x".
/// </summary>
public sealed record SessionExpiresHeader(uint Seconds, SessionRefresher Refresher)
{
    public static bool TryParse(string? value, out SessionExpiresHeader? header)
    {
        header = null;
        if (value is null)
        {
            return false;
        }

        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        if (!uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds == 0)
        {
            return false;
        }

        var refresher = SessionRefresher.Unspecified;
        foreach (var parameter in parts.AsSpan(1))
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parameter[..eq].Trim().Equals("refresher", StringComparison.OrdinalIgnoreCase))
            {
                refresher = parameter[(eq + 1)..].Trim().ToLowerInvariant() switch
                {
                    "uac" => SessionRefresher.Uac,
                    "uas" => SessionRefresher.Uas,
                    _ => SessionRefresher.Unspecified,
                };
            }
        }

        header = new SessionExpiresHeader(seconds, refresher);
        return true;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append(Seconds.ToString(CultureInfo.InvariantCulture));
        if (Refresher != SessionRefresher.Unspecified)
        {
            text.Append(";refresher=").Append(Refresher == SessionRefresher.Uac ? "uac" : "uas");
        }

        return text.ToString();
    }
}
