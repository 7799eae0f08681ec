using FeatureB2bua.Core.Tracing;
using FeatureB2bua.Sip.Diagnostics;
using FeatureB2bua.Sip.Limits;
using FeatureB2bua.Sip.Stack;
using FeatureB2bua.Sip.Transport;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Hosting;

/// <summary>Binds a transport for every configured listen point and builds the stack over them.</summary>
internal static class SipStackFactory
{
    public static SipStack Create(IServiceProvider services)
    {
        var sip = services.GetRequiredService<IOptions<SipOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var metrics = services.GetRequiredService<SipMetrics>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var transports = new List<ISipTransport>();
        try
        {
            foreach (var text in sip.Listen)
            {
                if (!ListenPoint.TryParse(text, out var point))
                {
                    throw new OptionsValidationException(SipOptions.Section, typeof(SipOptions), [$"Bad listen point '{text}'."]);
                }

                transports.Add(point.Protocol switch
                {
                    TransportProtocol.Udp => new UdpTransport(point, sip.Transport, metrics.Meter, loggers.CreateLogger<UdpTransport>()),
                    TransportProtocol.Tcp => new TcpTransport(point, sip.Transport, metrics.Meter, loggers.CreateLogger<TcpTransport>(), time),
                    _ => new TcpTransport(point, sip.Transport, metrics.Meter, loggers.CreateLogger<TcpTransport>(), time, LoadTls(sip.Tls, text)),
                });
            }
        }
        catch
        {
            foreach (var transport in transports)
            {
                transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        return new SipStack(transports, time, sip.Timers, metrics, loggers, services.GetRequiredService<IOptions<SipLimitOptions>>().Value, services.GetService<IRequestGate>())
        {
            Tap = services.GetRequiredService<IOptions<TraceOptions>>().Value.Trace ? services.GetRequiredService<SipTraceQueue>() : null,
        };
    }

    // Each tls: transport owns its loaded certificate; a file that cannot be used stops the start with its name.
    private static TlsContext LoadTls(TlsOptions options, string listenPoint)
    {
        try
        {
            return TlsContext.Load(options);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new OptionsValidationException(SipOptions.Section, typeof(SipOptions), [$"Listen point {listenPoint}: {ex.Message}"]);
        }
    }
}
