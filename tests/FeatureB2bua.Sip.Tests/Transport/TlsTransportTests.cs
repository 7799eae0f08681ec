using System.Diagnostics;
using System.Security.Authentication;
using FeatureB2bua.Sip.Transport;
using FeatureB2bua.Tests.Common;

namespace FeatureB2bua.Sip.Tests.Transport;

/// <summary>The TCP transport with TLS on top (RFC 3261 §26.2): handshakes, versions, deadlines and hostile bytes, on loopback.</summary>
public sealed class TlsTransportTests : IDisposable
{
    private readonly TestCertificate _ours = new("b2bua");
    private readonly TestCertificate _upstream = new("upstream");

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Client_offering_tls12_or_tls13_completes_the_handshake_and_messages_pass_both_ways(SslProtocols offered)
    {
        await using var harness = new TcpHarness(tls: Load(_ours));
        var peer = await harness.ConnectTlsAsync(_ours, offered);

        await peer.WriteAsync(SipText.Request("over-tls"));
        var packet = await harness.Sink.NextAsync();
        var response = SipText.Response("over-tls");
        Assert.Equal(SendResult.Sent, await packet.Connection!.SendAsync(response));

        Assert.Equal(offered, peer.NegotiatedProtocol);
        Assert.Equal(TransportProtocol.Tls, packet.Protocol);
        Assert.Contains("over-tls", packet.Text, StringComparison.Ordinal);
        Assert.Equal(response, await peer.ReadExactlyAsync(response.Length));
        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_messages_received|protocol=tls"));
    }

    [Fact]
    public async Task Client_offering_only_tls11_is_refused_by_the_server()
    {
        await using var harness = new TcpHarness(tls: Load(_ours));

        // .NET on OpenSSL 3 will not offer TLS 1.1 itself, so openssl s_client offers it, at security level 0
        // so that its own side allows the old version; what refuses it must then be the server.
        var start = new ProcessStartInfo("openssl", ["s_client", "-connect", harness.Transport.LocalEndPoint.ToString(), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var openssl = Process.Start(start)!;
        openssl.StandardInput.Close();
        var output = await openssl.StandardOutput.ReadToEndAsync() + await openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotEqual(0, openssl.ExitCode);
        Assert.Contains("alert protocol version", output, StringComparison.Ordinal);
        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_tls_handshake_failures|protocol=tls|reason=error"));
    }

    [Fact]
    public async Task Client_that_never_handshakes_is_closed_at_the_deadline_and_gives_its_slot_back()
    {
        var clock = new ManualTimeProvider();
        await using var harness = new TcpHarness(time: clock, tls: Load(_ours, handshakeTimeout: TimeSpan.FromSeconds(10)));
        var silent = await harness.ConnectAsync();
        await WaitForAsync(() => harness.Transport.ConnectionCount == 1);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(1, harness.Transport.ConnectionCount);
        clock.Advance(TimeSpan.FromSeconds(1));

        await silent.ExpectClosedAsync();
        await WaitForAsync(() => harness.Transport.ConnectionCount == 0);
        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_tls_handshake_failures|protocol=tls|reason=timeout"));
    }

    [Fact]
    public async Task Garbage_instead_of_a_client_hello_closes_that_connection_only()
    {
        await using var harness = new TcpHarness(tls: Load(_ours));
        var plain = await harness.ConnectAsync();

        await plain.WriteAsync(SipText.Request("plaintext-on-the-tls-port"));
        await plain.ExpectClosedAsync();
        var random = await harness.ConnectAsync();
        // A handshake record header whose 600-byte body is no ClientHello.
        await random.WriteAsync([0x16, 0x03, 0x01, 0x02, 0x58, .. Enumerable.Range(0, 600).Select(i => (byte)(i * 37))]);
        await random.ExpectClosedAsync();

        var good = await harness.ConnectTlsAsync(_ours);
        await good.WriteAsync(SipText.Request("after-garbage"));
        Assert.Contains("after-garbage", (await harness.Sink.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(2, harness.Metrics.Total("b2bua_transport_tls_handshake_failures|protocol=tls|reason=error"));
        Assert.Equal(1, harness.Metrics.Total("b2bua_transport_messages_received|protocol=tls"));
    }

    [Fact]
    public async Task Outgoing_connection_trusts_a_server_signed_by_the_configured_ca_and_is_reused()
    {
        await using var upstream = new TcpHarness(tls: Load(_upstream));
        await using var client = new TcpHarness(tls: Load(_ours, caFile: _upstream.CertificateFile));
        var target = upstream.Transport.LocalEndPoint;

        Assert.Equal(SendResult.Sent, await client.Transport.SendAsync(SipText.Request("one"), target));
        Assert.Equal(SendResult.Sent, await client.Transport.SendAsync(SipText.Request("two"), target));
        var first = await upstream.Sink.NextAsync();
        var second = await upstream.Sink.NextAsync();

        Assert.Same(first.Connection, second.Connection);
        Assert.Equal(1, client.Transport.ConnectionCount);
        Assert.Equal(SendResult.Sent, await second.Connection!.SendAsync(SipText.Response("two")));
        Assert.Equal(TransportProtocol.Tls, (await client.Sink.NextAsync()).Protocol);
    }

    [Fact]
    public async Task Outgoing_connection_to_an_untrusted_server_fails_unless_validation_is_off()
    {
        await using var upstream = new TcpHarness(tls: Load(_upstream));
        await using var strict = new TcpHarness(tls: Load(_ours, caFile: _ours.CertificateFile));
        await using var lax = new TcpHarness(tls: Load(_ours, validate: false));
        var target = upstream.Transport.LocalEndPoint;

        Assert.Equal(SendResult.ConnectFailed, await strict.Transport.SendAsync(SipText.Request("refused"), target));
        Assert.Equal(0, strict.Transport.ConnectionCount);
        Assert.Equal(1, strict.Metrics.Total("b2bua_transport_tls_handshake_failures|protocol=tls|reason=error"));

        Assert.Equal(SendResult.Sent, await lax.Transport.SendAsync(SipText.Request("accepted"), target));
        Assert.Contains("accepted", (await upstream.Sink.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_certificate_or_key_is_refused_with_the_setting_or_file_named()
    {
        var none = Assert.Throws<InvalidOperationException>(() => TlsContext.Load(new TlsOptions()));
        var missing = Assert.Throws<InvalidOperationException>(() => TlsContext.Load(new TlsOptions { CertificateFile = _ours.CertificateFile, PrivateKeyFile = "/nonexistent/key.pem" }));
        var noKey = Assert.Throws<InvalidOperationException>(() => TlsContext.Load(new TlsOptions { CertificateFile = _ours.CertificateFile }));

        Assert.Contains("Sip:Tls:CertificateFile", none.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/key.pem", missing.Message, StringComparison.Ordinal);
        Assert.Contains(_ours.CertificateFile, noKey.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _ours.Dispose();
        _upstream.Dispose();
    }

    private static TlsContext Load(TestCertificate certificate, string? caFile = null, bool validate = true, TimeSpan? handshakeTimeout = null) =>
        TlsContext.Load(new TlsOptions
        {
            CertificateFile = certificate.CertificateFile,
            PrivateKeyFile = certificate.PrivateKeyFile,
            CaFile = caFile,
            ValidateServerCertificate = validate,
            HandshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10),
        });

    // Waits for the transport's own threads to reach a state (a connection accepted or forgotten); no clock involved.
    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(5), "timed out waiting for the transport");
            await Task.Delay(10);
        }
    }
}
