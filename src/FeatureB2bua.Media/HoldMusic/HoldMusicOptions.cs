namespace FeatureB2bua.Media.HoldMusic;

/// <summary>The <c>Media:HoldMusic</c> configuration section.</summary>
public sealed class HoldMusicOptions
{
    public const string Section = "Media:HoldMusic";

    /// <summary>
    /// The WAV played to held parties whose call names no other; relative paths are taken from the working
    /// directory. Unset, the built-in <see cref="HoldTune"/> plays.
    /// </summary>
    public string? File { get; set; }
}
