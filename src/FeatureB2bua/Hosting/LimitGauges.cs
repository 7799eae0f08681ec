using FeatureB2bua.Core.Calls;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Limits;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>The process's <see cref="LimitMetrics"/>, which also shows every configured limit (<c>b2bua_limit</c>) beside the levels they bound.</summary>
internal static class LimitGauges
{
    public static LimitMetrics Create(IServiceProvider services)
    {
        var sip = services.GetRequiredService<IOptions<SipLimitOptions>>().Value;
        var calls = services.GetRequiredService<IOptions<CallLimitOptions>>().Value;
        var transport = services.GetRequiredService<IOptions<SipOptions>>().Value.Transport;
        var metrics = new LimitMetrics(services.GetRequiredService<SipMetrics>().Meter);
        metrics.ObserveConfigured(
        [
            new(Limit.MessageSize, transport.MaxMessageSize),
            new(Limit.Headers, sip.MaxHeaders),
            new(Limit.Vias, sip.MaxVias),
            new(Limit.Calls, calls.MaxCalls),
            new(Limit.CallsPerSubscriber, calls.MaxCallsPerSubscriber),
            new(Limit.Transactions, sip.MaxTransactions),
            new(Limit.TcpConnections, transport.MaxTcpConnections),
        ]);
        return metrics;
    }
}
