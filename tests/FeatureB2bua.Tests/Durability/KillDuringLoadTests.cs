using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Tests.Infrastructure;

namespace FeatureB2bua.Tests.Durability;

/// <summary>
/// Issue 8, no lost data: kill -9 in the middle of 100 phones registering and 100 callers calling, three times over on
/// one SQLite file. A call has ended for its caller once the server has sent it the message that ends it (the 200 to
/// its BYE, a final non-2xx, the 487 after its CANCEL, or our BYE); the server sends that only after the call's CDR is
/// committed. So after each restart: every binding whose 200 a phone received is listed; every call whose end its
/// caller saw has its CDR with the right result; every call that had got as far as ringing has a CDR (interrupted, or
/// its own result when it ended at the crash); nothing is active, no media session is left, and a new registration
/// and call work.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class KillDuringLoadTests : IDisposable
{
    private const int Phones = 100;
    private const int Callers = 100;
    private const string Password = "kill9-pw";
    private static readonly IPAddress PhoneAddress = IPAddress.Parse("127.0.0.2");

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kill9-load-");
    private readonly AutoCallee _callee = new();
    private readonly int _port = ServerProcess.FreeUdpPort();
    private readonly ConcurrentDictionary<string, string> _registered = new();
    private readonly List<IDisposable> _started = [];

    public void Dispose()
    {
        _started.ForEach(d => d.Dispose());
        _callee.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _work.Delete(recursive: true);
    }

    [Fact]
    public async Task KilledHardThreeTimesUnderLoad_LosesNoBindingAndNoCdrAndLeavesNothingStuck()
    {
        var provisioning = Path.Combine(_work.FullName, "subscribers.json");
        var subscribers = Enumerable.Range(0, Phones).Select(i => $$"""{ "user": "phone{{i}}", "password": "{{Password}}" }""");
        await File.WriteAllTextAsync(provisioning, $$"""{ "subscribers": [ {{string.Join(", ", subscribers)}} ] }""");
        _callee.Socket.Server = new IPEndPoint(IPAddress.Loopback, _port);
        var random = new Random();
        var (server, http) = await StartServerAsync(provisioning);

        for (var round = 0; round < 3; round++)
        {
            using var stop = new CancellationTokenSource();
            var callers = Enumerable.Range(0, Callers).Select(i => new LoadCaller(Open(IPAddress.Loopback), $"r{round}c{i}", random.Next())).ToList();
            var load = callers.Select(c => c.RunAsync(stop.Token))
                .Concat(Enumerable.Range(0, Phones).Select(i => RegisterRepeatedlyAsync(i, round, random.Next(), stop.Token)))
                .ToList();

            // A random moment once the load is under way: at least a few dozen calls through, hundreds in flight.
            await WaitUntilAsync(() => callers.Sum(c => c.Calls.Count(call => call.EndSeen)) >= 50);
            await Task.Delay(random.Next(0, 1000));
            server.KillHard();

            // What the server sent before it died is still read; then the load stops.
            await Task.Delay(300);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            (server, http) = await StartServerAsync(provisioning);
            await AssertNothingLostAsync(http, [.. callers.SelectMany(c => c.Calls)]);
            await AssertNewRegistrationAndCallWorkAsync(http, round);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the load did not get going");
            await Task.Delay(20);
        }
    }

    private async Task AssertNothingLostAsync(HttpClient http, IReadOnlyList<CallSeen> calls)
    {
        var listed = await http.GetFromJsonAsync<List<RegistrationView>>("/api/registrations") ?? [];
        var listedContacts = listed.ToDictionary(b => b.Contact);
        Assert.All(_registered, binding =>
        {
            Assert.True(listedContacts.TryGetValue(binding.Key, out var view), $"binding {binding.Key} of {binding.Value} was acknowledged with 200 and is gone");
            Assert.Equal($"{binding.Value}@example.test", view!.Aor);
            Assert.InRange(view.ExpiresIn, 3500, 3600);
        });

        var cdrs = await AllCdrsAsync(http);
        var ended = calls.Where(c => c.EndSeen).ToList();
        var open = calls.Where(c => !c.EndSeen && c.Progressed).ToList();
        Assert.NotEmpty(ended);
        Assert.All(ended, call =>
        {
            Assert.True(cdrs.TryGetValue(call.CallId, out var cdr), $"call {call.CallId} ended for its caller and has no CDR");
            Assert.Equal(call.ExpectedResult, cdr!.Result);
        });
        Assert.All(open, call =>
        {
            Assert.True(cdrs.TryGetValue(call.CallId, out var cdr), $"call {call.CallId} was ringing or answered at the kill and has no CDR");
            Assert.Contains(cdr!.Result, new[] { OpenCall.InterruptedResult, call.ExpectedResult });
        });
        Assert.Contains(open, call => cdrs[call.CallId].Result == OpenCall.InterruptedResult);
        Assert.All(calls.Where(c => cdrs.ContainsKey(c.CallId)), call => Assert.Contains(cdrs[call.CallId].Result, new[] { OpenCall.InterruptedResult, call.ExpectedResult }));

        Assert.Empty(await http.GetFromJsonAsync<List<object>>("/api/calls") ?? []);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Equal(0, Gauge(metrics, "b2bua_calls_active"));
        Assert.Equal(0, Gauge(metrics, "b2bua_media_sessions_active"));
    }

    private async Task AssertNewRegistrationAndCallWorkAsync(HttpClient http, int round)
    {
        using var phoneSocket = Open(PhoneAddress);
        var contact = $"sip:phone0-after{round}@192.0.2.99:5062";
        var registered = await new RegisteringPhone(phoneSocket, "phone0", Password).RegisterAsync($"Contact: <{contact}>\nExpires: 3600\n");
        Assert.Equal(200, registered.StatusCode);
        _registered[contact] = "phone0";

        using var callerSocket = Open(IPAddress.Loopback);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var call = await new LoadCaller(callerSocket, "after", 1).AnsweredAsync("after-kill-" + Guid.NewGuid().ToString("N"), timeout.Token);
        Assert.True(call.EndSeen);
        Assert.Equal("answered", (await AllCdrsAsync(http))[call.CallId].Result);
    }

    /// <summary>A phone registering contact after contact (three, then refreshing the last), keeping every one acknowledged with 200.</summary>
    private async Task RegisterRepeatedlyAsync(int index, int round, int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var user = $"phone{index}";
        using var socket = Open(PhoneAddress);
        var phone = new RegisteringPhone(socket, user, Password);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var contact = $"sip:{user}-r{round}-{Math.Min(n, 2)}@192.0.2.{index + 1}:5062";
            try
            {
                if ((await phone.RegisterAsync($"Contact: <{contact}>\nExpires: 3600\n")).StatusCode == 200)
                {
                    _registered[contact] = user;
                }
            }
            catch (TimeoutException)
            {
                return;
            }

            await Task.Delay(random.Next(0, 100), CancellationToken.None);
        }
    }

    private async Task<(ServerProcess Server, HttpClient Http)> StartServerAsync(string provisioning)
    {
        var server = await ServerProcess.StartAsync(
            _port,
            [
                $"--Storage:ConnectionString=Data Source={Path.Combine(_work.FullName, "b2bua.db")}",
                $"--Provisioning:File={provisioning}",
                "--Auth:NonceSecret=kill9-load",
                "--Routing:Trusted:0=127.0.0.1/32",
                .. CalleeRoute.Settings(_callee.Socket.LocalEndPoint.Port),
            ]);
        _started.Add(server);
        var http = new HttpClient { BaseAddress = await server.HttpAddress.WaitAsync(TimeSpan.FromSeconds(10)) };
        _started.Add(http);
        return (server, http);
    }

    private UdpSipClient Open(IPAddress address) => new(new IPEndPoint(IPAddress.Loopback, _port), new IPEndPoint(address, 0));

    /// <summary>Every CDR by Call-ID, a page of at most <see cref="CdrApi.MaxRecords"/> at a time, each page ending before the oldest of the last.</summary>
    private static async Task<Dictionary<string, Cdr>> AllCdrsAsync(HttpClient http)
    {
        var all = new Dictionary<string, Cdr>();
        var until = string.Empty;
        while (true)
        {
            var page = await http.GetFromJsonAsync<List<Cdr>>($"/api/cdrs?limit={CdrApi.MaxRecords}{until}") ?? [];
            page.ForEach(cdr => all[cdr.CallId] = cdr);
            if (page.Count < CdrApi.MaxRecords)
            {
                return all;
            }

            // Records that ended in the oldest page's last millisecond may straddle pages: that millisecond is read again.
            until = "&until=" + Uri.EscapeDataString(page[^1].EndedAt.AddMilliseconds(1).ToString("O", CultureInfo.InvariantCulture));
        }
    }

    private static double Gauge(string metrics, string name) =>
        double.Parse(
            metrics.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal)).Split(' ')[^1],
            CultureInfo.InvariantCulture);

    private sealed record Cdr(string CallId, string Result, int FinalStatus, DateTimeOffset EndedAt);

    private sealed record RegistrationView(string Aor, string Contact, int ExpiresIn);
}
