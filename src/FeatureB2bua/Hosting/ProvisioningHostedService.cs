using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Subscribers;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>At start: upsert the provisioning file's subscribers and count the bindings that survived the last run.</summary>
internal sealed partial class ProvisioningHostedService(
    IOptions<ProvisioningOptions> provisioning,
    IOptions<SipOptions> sip,
    ISubscriberStore subscribers,
    Registrar registrar,
    ILogger<ProvisioningHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (provisioning.Value.File is { Length: > 0 } file)
        {
            var path = Resolve(file);
            var loaded = await ProvisioningFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            var count = 0;
            foreach (var subscriber in loaded.ToSubscribers(sip.Value.Domain))
            {
                await subscribers.UpsertAsync(subscriber, cancellationToken).ConfigureAwait(false);
                count++;
            }

            Provisioned(logger, count, path);
        }

        await registrar.RefreshActiveCountAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Resolve(string file)
    {
        if (Path.IsPathRooted(file) || File.Exists(file))
        {
            return Path.GetFullPath(file);
        }

        var beside = Path.Combine(AppContext.BaseDirectory, file);
        return File.Exists(beside) ? beside : throw new FileNotFoundException($"Provisioning:File '{file}' was not found.", file);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Provisioned {Count} subscribers from {Path}")]
    private static partial void Provisioned(ILogger logger, int count, string path);
}
