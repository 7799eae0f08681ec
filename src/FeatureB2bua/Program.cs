using FeatureB2bua.Cli;
using FeatureB2bua.Hosting;

if (AdminCli.Handles(args))
{
    return await AdminCli.RunAsync(args, Console.Out).ConfigureAwait(false);
}

// Socket completions run on the socket engine's own thread instead of being handed to the thread pool: for the media
// relay (a datagram in, a datagram out) the hand-off was most of the cost, 20 -> 13 CPU-s per million packets and
// 6 ms -> 0.3 ms average latency at 500 calls (bench/RESULTS.md). Read by the runtime when the first socket is made,
// so it must be set before the host starts; an operator's own setting wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

await ServerApp.Build(args).RunAsync().ConfigureAwait(false);
return 0;
