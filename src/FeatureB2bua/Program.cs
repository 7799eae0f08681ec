using FeatureB2bua.Hosting;

await ServerApp.Build(args).RunAsync().ConfigureAwait(false);
