using System.CommandLine;
using System.Text.Json;
using FeatureB2bua.Core.Registration;
using FeatureB2bua.Core.Storage;
using FeatureB2bua.Core.Subscribers;
using FeatureB2bua.Hosting;

namespace FeatureB2bua.Cli;

/// <summary>
/// <c>subscriber add|list|remove</c>, <c>feature set|show</c> and <c>calls close-node</c>, against the store the server uses
/// (appsettings.json and FEATUREB2BUA_ variables: the same Storage and Sip:Domain settings).
/// A running server sees the change on the next request: it reads subscribers from the store each time.
/// </summary>
public static class AdminCli
{
    private static readonly JsonSerializerOptions Pretty = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static bool Handles(string[] args) => args is ["subscriber" or "feature" or "calls", ..];

    /// <param name="configuration">Settings to use instead of appsettings.json and the environment (tests).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, IConfiguration? configuration = null)
    {
        configuration ??= DefaultConfiguration();
        using var store = new StoreAccess(configuration);
        var root = new RootCommand("FeatureB2bua administration");
        root.Subcommands.Add(SubscriberCommand(output, store));
        root.Subcommands.Add(FeatureCommand(output, store));
        root.Subcommands.Add(CallsCommand.Create(output, () => store.Open().Store, configuration));
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }

    private static Command SubscriberCommand(TextWriter output, StoreAccess access)
    {
        var user = new Argument<string>("user") { Description = "user name, e.g. alice" };
        var password = new Option<string>("--password") { Required = true, Description = "stored only as digest HA1 hashes" };
        var mayRegister = new Option<string[]>("--may-register") { Description = "other users this one may register (third-party registration)", AllowMultipleArgumentsPerToken = true };
        var add = new Command("add", "Add a subscriber or replace its password") { user, password, mayRegister };
        add.SetAction(async (result, ct) =>
        {
            var name = result.GetValue(user)!;
            if (!SubscriberCredentials.IsValidUser(name))
            {
                await output.WriteLineAsync($"'{name}' is not a valid user name.");
                return 2;
            }

            var (store, domain) = access.Open();
            var existing = await store.GetAsync(name, ct);
            var subscriber = SubscriberCredentials.Create(name, result.GetValue(password)!, domain) with
            {
                MayRegister = result.GetValue(mayRegister) ?? existing?.MayRegister ?? [],
                Features = existing?.Features ?? new SubscriberFeatures(),
            };
            await store.UpsertAsync(subscriber, ct);
            await output.WriteLineAsync(existing is null ? $"added {name}" : $"updated {name}");
            return 0;
        });

        var list = new Command("list", "List subscribers");
        list.SetAction(async (_, ct) =>
        {
            foreach (var s in await access.Open().Store.ListAsync(ct))
            {
                await output.WriteLineAsync(s.MayRegister.Count == 0 ? s.User : $"{s.User}  (may register: {string.Join(", ", s.MayRegister)})");
            }

            return 0;
        });

        var removeUser = new Argument<string>("user");
        var remove = new Command("remove", "Remove a subscriber and its registrations") { removeUser };
        remove.SetAction(async (result, ct) =>
        {
            var (store, domain) = access.Open();
            var name = result.GetValue(removeUser)!;
            if (!await store.RemoveAsync(name, ct))
            {
                await output.WriteLineAsync($"no subscriber {name}");
                return 1;
            }

            await store.RemoveAllAsync(AddressOfRecord.For(name, domain), ct);
            await output.WriteLineAsync($"removed {name}");
            return 0;
        });

        return new Command("subscriber", "Manage subscribers") { add, list, remove };
    }

    private static Command FeatureCommand(TextWriter output, StoreAccess access)
    {
        var user = new Argument<string>("user");
        var name = new Argument<string>("feature") { Description = "forwardUnconditional, forwardBusy, forwardNoAnswer, noAnswerTimeoutSeconds, busyWhenInCall, forwardByRedirect, musicOnHold or musicOnHoldFile" };
        var value = new Argument<string>("value") { Description = "a SIP URI, a number, true/false, or 'off' to clear" };
        var set = new Command("set", "Set one feature of a subscriber; it applies from the next call") { user, name, value };
        set.SetAction(async (result, ct) =>
        {
            var store = access.Open().Store;
            var subscriber = await store.GetAsync(result.GetValue(user)!, ct);
            if (subscriber is null)
            {
                await output.WriteLineAsync($"no subscriber {result.GetValue(user)}");
                return 1;
            }

            if (!FeatureSetting.TryApply(subscriber.Features, result.GetValue(name)!, result.GetValue(value)!, out var features, out var error))
            {
                await output.WriteLineAsync(error);
                return 2;
            }

            await store.UpsertAsync(subscriber with { Features = features }, ct);
            await output.WriteLineAsync(JsonSerializer.Serialize(features, Pretty));
            return 0;
        });

        var showUser = new Argument<string>("user");
        var show = new Command("show", "Show a subscriber's features") { showUser };
        show.SetAction(async (result, ct) =>
        {
            var subscriber = await access.Open().Store.GetAsync(result.GetValue(showUser)!, ct);
            if (subscriber is null)
            {
                await output.WriteLineAsync($"no subscriber {result.GetValue(showUser)}");
                return 1;
            }

            await output.WriteLineAsync(JsonSerializer.Serialize(subscriber.Features, Pretty));
            return 0;
        });

        return new Command("feature", "Manage call features") { set, show };
    }

    private static IConfiguration DefaultConfiguration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables("FEATUREB2BUA_")
        .Build();

    /// <summary>Opens the store on first use, so <c>--help</c> touches no database, and closes it at the end.</summary>
    private sealed class StoreAccess(IConfiguration configuration) : IDisposable
    {
        private IStore? _store;

        public (IStore Store, string Domain) Open()
        {
            var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
            var domain = configuration.GetSection(SipOptions.Section).Get<SipOptions>()?.Domain ?? new SipOptions().Domain;
            return (_store ??= StorageServiceCollectionExtensions.CreateStore(storage), domain);
        }

        public void Dispose() => _store?.Dispose();
    }
}
