using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Media.HoldMusic;

/// <summary>
/// The hold tunes in use, each read and encoded once however many calls hold on it. A file that fails to load is not
/// cached, so the error is raised to every asker until the file is fixed, and fixing it needs no restart.
/// </summary>
public sealed class HoldMusicLibrary
{
    private readonly ConcurrentDictionary<string, Lazy<HoldMusicTrack>> _files = new(StringComparer.Ordinal);
    private readonly Lazy<HoldMusicTrack> _tune = new(() => new HoldMusicTrack("built-in tune", HoldTune.Generate()));
    private readonly string? _defaultFile;

    public HoldMusicLibrary(IOptions<HoldMusicOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _defaultFile = string.IsNullOrWhiteSpace(options.Value.File) ? null : options.Value.File;
    }

    /// <summary>The configured <see cref="HoldMusicOptions.File"/>, or the built-in tune when none is.</summary>
    /// <exception cref="InvalidDataException">The configured file is not a WAV that <see cref="WavReader"/> accepts.</exception>
    /// <exception cref="IOException">The configured file cannot be read.</exception>
    public HoldMusicTrack Default => _defaultFile is null ? _tune.Value : Get(_defaultFile);

    /// <summary>The tune in the WAV file at <paramref name="path"/>, or <see cref="Default"/> for null or empty.</summary>
    /// <exception cref="InvalidDataException">The file is not a WAV that <see cref="WavReader"/> accepts.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public HoldMusicTrack Get(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return Default;
        }

        var key = Path.GetFullPath(path);
        var entry = _files.GetOrAdd(key, static file => new Lazy<HoldMusicTrack>(() => new HoldMusicTrack(Path.GetFileName(file), WavReader.Read(file))));
        try
        {
            return entry.Value;
        }
        catch
        {
            _files.TryRemove(KeyValuePair.Create(key, entry));
            throw;
        }
    }

    /// <summary>
    /// Loads <see cref="Default"/> now. Called at startup, a bad configured file stops the host with the reader's
    /// message instead of surfacing on the first call put on hold.
    /// </summary>
    public void Preload() => _ = Default;
}
