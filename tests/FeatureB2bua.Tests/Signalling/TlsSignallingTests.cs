using System.Security.Authentication;
using FeatureB2bua.Sip.Messages;
using FeatureB2bua.Tests.Common;
using FeatureB2bua.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace FeatureB2bua.Tests.Signalling;

/// <summary>The running server on a <c>tls:</c> listen point (RFC 3261 §26.2) with a certificate the test made.</summary>
public sealed class TlsSignallingTests
{
    [Fact]
    public async Task Tls_listen_point_without_a_certificate_stops_the_start_naming_the_settings()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ServerFixture.StartAsync("--Sip:Listen:2=tls:127.0.0.1:0"));

        Assert.Contains("tls:127.0.0.1:0", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Sip:Tls:CertificateFile", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_over_tls12_is_answered_200_on_its_connection_after_garbage_on_another()
    {
        using var certificate = new TestCertificate();
        await using var server = await ServerFixture.StartAsync(TlsArguments(certificate));
        using var garbage = await TcpSipClient.ConnectAsync(server.TlsEndPoint!);
        await garbage.SendAsync(SipText.Request("OPTIONS", "sip:example.test", branch: "z9hG4bKplain", callId: "plain-on-tls"));
        Assert.True(await garbage.IsClosedByServerAsync());

        using var client = await TcpSipClient.ConnectTlsAsync(server.TlsEndPoint!, certificate, SslProtocols.Tls12);
        await client.SendAsync(SipText.Request("OPTIONS", "sip:example.test", branch: "z9hG4bKtls", callId: "options-tls", via: client.LocalEndPoint.ToString())
            .Replace("SIP/2.0/UDP", "SIP/2.0/TLS", StringComparison.Ordinal));
        var response = await client.ReceiveAsync();

        Assert.Equal(SslProtocols.Tls12, client.NegotiatedProtocol);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("options-tls", response.CallId);
        Assert.Equal("TLS", response.TopVia!.Transport);
    }

    /// <summary>Settings for a tls: listen point on a port the OS picks, with <paramref name="certificate"/>.</summary>
    public static string[] TlsArguments(TestCertificate certificate) =>
    [
        "--Sip:Listen:2=tls:127.0.0.1:0",
        $"--Sip:Tls:CertificateFile={certificate.CertificateFile}",
        $"--Sip:Tls:PrivateKeyFile={certificate.PrivateKeyFile}",
    ];
}
