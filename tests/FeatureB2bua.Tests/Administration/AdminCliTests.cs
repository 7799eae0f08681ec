using FeatureB2bua.Cli;
using FeatureB2bua.Storage.Sqlite;
using Microsoft.Extensions.Configuration;

namespace FeatureB2bua.Tests.Administration;

/// <summary>subscriber add|list|remove and feature set|show, against a real store file.</summary>
public sealed class AdminCliTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cli-");

    private string ConnectionString => $"Data Source={Path.Combine(_work.FullName, "b2bua.db")}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task SubscriberAdd_ThenList_ShowsTheUserAndStoresNoPassword()
    {
        var (addExit, addOut) = await RunAsync("subscriber", "add", "dave", "--password", "s3cret", "--may-register", "erin");
        var (_, listOut) = await RunAsync("subscriber", "list");

        Assert.Equal(0, addExit);
        Assert.Contains("added dave", addOut, StringComparison.Ordinal);
        Assert.Contains("dave  (may register: erin)", listOut, StringComparison.Ordinal);
        using var store = new SqliteStore(ConnectionString);
        var dave = (await store.GetAsync("dave"))!;
        Assert.Equal(32, dave.Ha1Md5.Length);
        Assert.Equal(64, dave.Ha1Sha256.Length);
        Assert.All(_work.GetFiles(), f => Assert.DoesNotContain("s3cret", File.ReadAllText(f.FullName), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubscriberRemove_Unknown_Fails()
    {
        var (exit, output) = await RunAsync("subscriber", "remove", "nobody");

        Assert.Equal(1, exit);
        Assert.Contains("no subscriber nobody", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscriberRemove_Known_RemovesIt()
    {
        await RunAsync("subscriber", "add", "dave", "--password", "x");

        var (exit, _) = await RunAsync("subscriber", "remove", "dave");
        var (_, listOut) = await RunAsync("subscriber", "list");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("dave", listOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FeatureSet_ForwardBusy_ShowsAndPersists()
    {
        await RunAsync("subscriber", "add", "dave", "--password", "x");

        var (exit, _) = await RunAsync("feature", "set", "dave", "forwardBusy", "sip:carol@example.test");
        var (_, shown) = await RunAsync("feature", "show", "dave");

        Assert.Equal(0, exit);
        Assert.Contains("\"forwardBusy\": \"sip:carol@example.test\"", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forwardNoAnswer", "carol", "\"forwardNoAnswer\": \"carol\"")]
    [InlineData("busyWhenInCall", "true", "\"busyWhenInCall\": true")]
    [InlineData("forwardByRedirect", "true", "\"forwardByRedirect\": true")]
    public async Task FeatureSet_ABareTargetAndTheFlags_ArePersisted(string feature, string value, string expected)
    {
        await RunAsync("subscriber", "add", "dave", "--password", "x");

        var (exit, _) = await RunAsync("feature", "set", "dave", feature, value);
        var (_, shown) = await RunAsync("feature", "show", "dave");

        Assert.Equal(0, exit);
        Assert.Contains(expected, shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("forwardBusy", "not a uri")]
    [InlineData("noAnswerTimeoutSeconds", "0")]
    [InlineData("musicOnHold", "maybe")]
    [InlineData("busyWhenInCall", "sometimes")]
    [InlineData("teleport", "on")]
    public async Task FeatureSet_BadValue_IsRefused(string feature, string value)
    {
        await RunAsync("subscriber", "add", "dave", "--password", "x");

        var (exit, _) = await RunAsync("feature", "set", "dave", feature, value);

        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task FeatureSet_Off_ClearsTheFeature()
    {
        await RunAsync("subscriber", "add", "dave", "--password", "x");
        await RunAsync("feature", "set", "dave", "forwardUnconditional", "sip:carol@example.test");

        await RunAsync("feature", "set", "dave", "forwardUnconditional", "off");
        var (_, shown) = await RunAsync("feature", "show", "dave");

        Assert.Contains("\"forwardUnconditional\": null", shown, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = ConnectionString,
            ["Sip:Domain"] = "example.test",
        }).Build();
        using var output = new StringWriter();
        var exit = await AdminCli.RunAsync(args, output, configuration);
        return (exit, output.ToString());
    }
}
