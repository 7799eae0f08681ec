using FeatureB2bua.Media.HoldMusic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Media.Tests.HoldMusic;

public sealed class HoldMusicLibraryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hold-music-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Default_WithoutAFile_IsTheBuiltInTune()
    {
        var library = Library(file: null);

        var track = library.Default;

        Assert.Equal(new HoldMusicTrack("x", HoldTune.Generate()).Frame(7, 0).ToArray(), track.Frame(7, 0).ToArray());
        Assert.Same(track, library.Get(null));
        Assert.Same(track, library.Get(""));
    }

    [Fact]
    public void Default_WithAFile_IsThatFile()
    {
        var path = Write("music.wav", WavBuilder.Pcm16(8000, 1, Enumerable.Repeat((short)1000, 160).ToArray()));
        var library = Library(path);

        Assert.Equal("music.wav", library.Default.Name);
        Assert.Equal(1, library.Default.FrameCount);
        Assert.All(library.Default.Frame(0, G711.PcmuPayloadType).ToArray(), b => Assert.Equal(G711.EncodeMuLaw(1000), b));
    }

    [Fact]
    public void Get_LoadsEachFileOnce_EvenWhenAskedConcurrently()
    {
        var path = Write("a.wav", WavBuilder.Pcm16(8000, 1, 1, 2, 3));
        var library = Library(file: null);

        var tracks = Enumerable.Range(0, 16).AsParallel().Select(_ => library.Get(path)).ToList();

        Assert.All(tracks, t => Assert.Same(tracks[0], t));
        Assert.Same(tracks[0], library.Get(Path.Combine(_directory, ".", "a.wav")));
        Assert.NotSame(tracks[0], library.Default);
    }

    [Fact]
    public void Get_BadFile_ThrowsTheReadersError_AndRetriesOnceFixed()
    {
        var path = Write("bad.wav", new WavBuilder().Format(85, 1, 8000, 16).Data(new byte[4]).Build());
        var library = Library(file: null);

        var error = Assert.Throws<InvalidDataException>(() => library.Get(path));
        Assert.StartsWith("bad.wav: format tag 85", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => library.Get(path));

        Write("bad.wav", WavBuilder.Pcm16(8000, 1, 5));
        Assert.Equal(1, library.Get(path).FrameCount);
    }

    [Fact]
    public void Get_MissingFile_Throws() =>
        Assert.Throws<FileNotFoundException>(() => Library(file: null).Get(Path.Combine(_directory, "none.wav")));

    [Fact]
    public void Preload_BadConfiguredFile_ThrowsAtOnce()
    {
        var library = Library(Write("global.wav", "RIFF...."u8.ToArray()));

        var error = Assert.Throws<InvalidDataException>(library.Preload);
        Assert.StartsWith("global.wav: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preload_GoodOrNoFile_Succeeds()
    {
        Library(file: null).Preload();
        Library(Write("ok.wav", WavBuilder.Pcm16(8000, 1, 1))).Preload();
    }

    [Fact]
    public void Options_BindFromMediaHoldMusic()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Media:HoldMusic:File"] = "/srv/hold.wav" })
            .Build();

        var options = configuration.GetSection(HoldMusicOptions.Section).Get<HoldMusicOptions>();

        Assert.Equal("/srv/hold.wav", options?.File);
    }

    private static HoldMusicLibrary Library(string? file) => new(Options.Create(new HoldMusicOptions { File = file }));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
