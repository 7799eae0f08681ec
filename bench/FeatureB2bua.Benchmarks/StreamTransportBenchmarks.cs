using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using BenchmarkDotNet.Attributes;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeatureB2bua.Benchmarks;

/// <summary>
/// TLS beside plain TCP on loopback: a new connection to the server transport (with its handshake on TLS, ECDSA P-256,
/// full handshake, no resumption), and a burst of OPTIONS-sized messages from one transport to another over one
/// open connection, timed until the last is framed and handed to the sink.
/// </summary>
public class StreamTransportBenchmarks
{
    public const int Burst = 1000;

    private static readonly byte[] Options = Encoding.ASCII.GetBytes(string.Join("\r\n",
        "OPTIONS sip:bob@127.0.0.1 SIP/2.0",
        "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK74bf9;rport",
        "Max-Forwards: 70",
        "From: <sip:alice@example.test>;tag=9fxced76sl",
        "To: <sip:bob@example.test>",
        "Call-ID: 3848276298220188511@bench",
        "CSeq: 1 OPTIONS",
        "Content-Length: 0",
        string.Empty,
        string.Empty));

    private readonly Meter _meter = new("FeatureB2bua.Bench.Transport");
    private readonly CountingSink _serverSink = new();
    private TestCertificate _certificate = null!;
    private TcpTransport _server = null!;
    private TcpTransport _client = null!;

    [Params(TransportProtocol.Tcp, TransportProtocol.Tls)]
    public TransportProtocol Protocol { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _certificate = new TestCertificate();
        _server = Create();
        _client = Create(trustServer: true);
        _server.Start(_serverSink);
        _client.Start(new CountingSink());

        // The connection the message benchmark reuses, opened (and on TLS handshaken) once.
        await MessagesOverOneConnection();
    }

    [Benchmark]
    public async Task NewConnection()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_server.LocalEndPoint);
        if (Protocol == TransportProtocol.Tls)
        {
            await using var ssl = new SslStream(new NetworkStream(socket), leaveInnerStreamOpen: false, (_, presented, _, _) => _certificate.IsPresentedBy(presented));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 });
        }
    }

    [Benchmark(OperationsPerInvoke = Burst)]
    public async Task MessagesOverOneConnection()
    {
        var done = _serverSink.Expect(Burst);
        for (var i = 0; i < Burst; i++)
        {
            await _client.SendAsync(Options, _server.LocalEndPoint);
        }

        await done;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        _certificate.Dispose();
        _meter.Dispose();
    }

    private TcpTransport Create(bool trustServer = false)
    {
        var tls = Protocol == TransportProtocol.Tls
            ? TlsContext.Load(new TlsOptions { CertificateFile = _certificate.CertificateFile, PrivateKeyFile = _certificate.PrivateKeyFile, CaFile = trustServer ? _certificate.CertificateFile : null })
            : null;
        return new TcpTransport(ListenPoint.Parse($"{ListenPoint.Scheme(Protocol)}:127.0.0.1:0"), new TransportOptions(), _meter, NullLogger<TcpTransport>.Instance, tls: tls);
    }

    /// <summary>Counts messages and completes a task once the expected number has arrived.</summary>
    private sealed class CountingSink : IPacketSink
    {
        private int _left;
        private TaskCompletionSource _done = new();

        public Task Expect(int count)
        {
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _left, count);
            return _done.Task;
        }

        public void OnPacket(in ReceivedPacket packet)
        {
            if (Interlocked.Decrement(ref _left) == 0)
            {
                _done.TrySetResult();
            }
        }
    }
}
