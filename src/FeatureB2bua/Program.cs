using FeatureB2bua.Cli;
using FeatureB2bua.Hosting;

if (AdminCli.Handles(args))
{
    return await AdminCli.RunAsync(args, Console.Out).ConfigureAwait(false);
}

await ServerApp.Build(args).RunAsync().ConfigureAwait(false);
return 0;
