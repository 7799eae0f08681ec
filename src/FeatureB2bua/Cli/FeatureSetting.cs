using System.Globalization;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Media.HoldMusic;
using FeatureB2bua.Core.Features;

namespace FeatureB2bua.Cli;

/// <summary>Applies one <c>feature set</c> to a subscriber's features, checking the value for that feature.</summary>
public static class FeatureSetting
{
    public static bool TryApply(SubscriberFeatures features, string name, string value, out SubscriberFeatures updated, out string error)
    {
        updated = features;
        error = string.Empty;
        var off = value is "off" or "none" or "";
        switch (name)
        {
            case "forwardUnconditional" or "forwardBusy" or "forwardNoAnswer":
                if (!off && !ForwardTarget.TryParse(value, "example.invalid", out _))
                {
                    error = $"{name} needs a sip: or sips: URI, a user or number of our domain, or 'off'.";
                    return false;
                }

                var target = off ? null : value;
                updated = name switch
                {
                    "forwardUnconditional" => features with { ForwardUnconditional = target },
                    "forwardBusy" => features with { ForwardBusy = target },
                    _ => features with { ForwardNoAnswer = target },
                };
                return true;
            case "noAnswerTimeoutSeconds":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 300)
                {
                    error = "noAnswerTimeoutSeconds is a whole number from 1 to 300.";
                    return false;
                }

                updated = features with { NoAnswerTimeoutSeconds = seconds };
                return true;
            case "busyWhenInCall" or "forwardByRedirect":
                if (!bool.TryParse(value, out var flag))
                {
                    error = $"{name} is true or false.";
                    return false;
                }

                updated = name == "busyWhenInCall" ? features with { BusyWhenInCall = flag } : features with { ForwardByRedirect = flag };
                return true;
            case "musicOnHold":
                if (!bool.TryParse(value, out var on))
                {
                    error = "musicOnHold is true or false.";
                    return false;
                }

                updated = features with { MusicOnHold = on };
                return true;
            case "musicOnHoldFile":
                if (!off && HoldMusicFileError(value) is { } problem)
                {
                    error = problem;
                    return false;
                }

                updated = features with { MusicOnHoldFile = off ? null : Path.GetFullPath(value) };
                return true;
            default:
                error = $"unknown feature '{name}'.";
                return false;
        }
    }

    /// <summary>The file is read as the anchor will read it, so a bad one is refused here and not on the first hold.</summary>
    private static string? HoldMusicFileError(string path)
    {
        try
        {
            _ = WavReader.Read(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return "musicOnHoldFile: " + ex.Message;
        }
    }
}
