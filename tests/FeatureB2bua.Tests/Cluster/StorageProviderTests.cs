using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Tests.Cluster;

/// <summary>Storage:Provider picks the store; a name the server does not know stops the start.</summary>
public sealed class StorageProviderTests
{
    [Fact]
    public async Task Unknown_provider_stops_the_start_naming_the_setting_and_the_choices()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ServerFixture.StartAsync("--Storage:Provider=mysql"));

        Assert.Contains("Storage:Provider 'mysql'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite or postgres", failure.Message, StringComparison.Ordinal);
    }
}
