using System.Net;
using System.Text.Json;
using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Calls;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeatureB2bua.Tests.Features;

/// <summary>
/// The call harness (caller alice, callee bob) with a third phone, carol, routed by <c>^carol$</c>, every feature
/// module enabled as in appsettings.json, and subscribers of the test's own in a provisioning file.
/// </summary>
public sealed class FeatureHarness : IAsyncDisposable
{
    private readonly string _provisioning;

    private FeatureHarness(CallHarness call, UdpSipClient carol, string provisioning)
    {
        Call = call;
        Carol = carol;
        _provisioning = provisioning;
    }

    public CallHarness Call { get; }

    public UdpSipClient Carol { get; }

    /// <param name="subscribers">Each subscriber's features object, by user (a password is made up).</param>
    /// <param name="extraArgs">Settings of the test's own; <c>{carol}</c> in them stands for carol's port.</param>
    public static Task<FeatureHarness> StartAsync(Dictionary<string, object> subscribers, ManualTimeProvider? clock = null, params string[] extraArgs) =>
        StartWithServicesAsync(subscribers, clock is null ? null : s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)), extraArgs);

    /// <summary>As <see cref="StartAsync"/>, with services of the test's own (a log capture, say).</summary>
    public static async Task<FeatureHarness> StartWithServicesAsync(Dictionary<string, object> subscribers, Action<IServiceCollection>? services, params string[] extraArgs)
    {
        var provisioning = Path.Combine(Path.GetTempPath(), $"provisioning-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(provisioning, JsonSerializer.Serialize(new
        {
            subscribers = subscribers.Select(s => new { user = s.Key, password = s.Key + "-pw", features = s.Value }),
        }));
        var carol = new UdpSipClient(new IPEndPoint(IPAddress.Loopback, 9));
        string[] args =
        [
            $"--Provisioning:File={provisioning}",
            "--Routing:Routes:1:Pattern=^carol$",
            $"--Routing:Routes:1:Targets:0=sip:127.0.0.1:{carol.LocalEndPoint.Port}",
            .. extraArgs.Select(a => a.Replace("{carol}", carol.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
        ];
        var call = services is null ? await CallHarness.StartAsync(args) : await CallHarness.StartAsync(services, args);
        carol.Server = call.Server.UdpEndPoint;
        return new FeatureHarness(call, carol, provisioning);
    }

    public MeterRecorder Metrics() => new(Call.Server.Services.GetRequiredService<CallMetrics>().Meter);

    /// <summary>Carol answers the INVITE she got; the caller gets the 200 and ACKs it.</summary>
    public async Task<SipMessage> CarolAnswersAsync(SipMessage carolInvite)
    {
        CallHarness.Responds(Carol, carolInvite, 200, "OK", toTag: "c1", body: CallHarness.AnswerSdp, user: "carol");
        var answer = await CallHarness.NextResponseAsync(Call.Caller, 200, "INVITE");
        Call.Caller.Send(Call.CallerRequest("ACK", answer, "z9hG4bKack"));
        return answer;
    }

    /// <summary>The caller hangs up an answered call whose B-leg is carol's.</summary>
    public async Task CallerHangsUpOnCarolAsync(SipMessage answer)
    {
        Call.Caller.Send(Call.CallerRequest("BYE", answer, "z9hG4bKbye"));
        CallHarness.Responds(Carol, await CallHarness.NextRequestAsync(Carol, "BYE"), 200, "OK", toTag: "c1", user: "carol");
        await CallHarness.NextResponseAsync(Call.Caller, 200, "BYE");
    }

    public static string[] FeaturesOf(JsonElement cdr) => [.. cdr.GetProperty("features").EnumerateArray().Select(f => f.GetString()!)];

    public async ValueTask DisposeAsync()
    {
        Carol.Dispose();
        await Call.DisposeAsync();
        File.Delete(_provisioning);
    }
}
