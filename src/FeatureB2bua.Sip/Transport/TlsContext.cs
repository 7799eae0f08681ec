using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace FeatureB2bua.Sip.Transport;

/// <summary>
/// The loaded TLS material of a <c>tls:</c> transport and the handshake each side of a connection runs: TLS 1.2 and
/// 1.3 only (RFC 3261 §26.3.1 asks for TLS; the older versions are broken, RFC 8996).
/// </summary>
public sealed class TlsContext : IDisposable
{
    internal const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly X509Certificate2 _certificate;
    private readonly SslStreamCertificateContext _certificateContext;
    private readonly X509Certificate2Collection _chain;
    private readonly X509Certificate2Collection _trustedRoots;
    private readonly bool _validateServer;

    private TlsContext(X509Certificate2 certificate, X509Certificate2Collection chain, X509Certificate2Collection trustedRoots, TlsOptions options)
    {
        _certificate = certificate;
        _chain = chain;
        _trustedRoots = trustedRoots;
        _validateServer = options.ValidateServerCertificate;
        HandshakeTimeout = options.HandshakeTimeout;
        _certificateContext = SslStreamCertificateContext.Create(certificate, chain, offline: true);
    }

    public TimeSpan HandshakeTimeout { get; }

    /// <summary>Reads the PEM files the options name; throws with the file's name when one cannot be used.</summary>
    public static TlsContext Load(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.HasCertificate)
        {
            throw new InvalidOperationException("Sip:Tls:CertificateFile (and Sip:Tls:PrivateKeyFile unless the key is in the same file) must name a PEM file for a tls: listen point.");
        }

        if (options.HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.HandshakeTimeout, "Sip:Tls:HandshakeTimeout must be positive.");
        }

        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(options.CertificateFile!, string.IsNullOrWhiteSpace(options.PrivateKeyFile) ? null : options.PrivateKeyFile);

            // A key loaded from PEM is ephemeral; a PKCS#12 round trip gives SslStream a key it can use on every platform.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            chain.ImportFromPemFile(options.CertificateFile!);
            foreach (var own in chain.Where(c => c.Thumbprint == certificate.Thumbprint).ToArray())
            {
                chain.Remove(own);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"Sip:Tls: cannot load the certificate '{options.CertificateFile}' with the key '{options.PrivateKeyFile ?? options.CertificateFile}': {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"Sip:Tls: the certificate '{options.CertificateFile}' has no private key.");
        }

        var roots = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(options.CaFile))
        {
            try
            {
                roots.ImportFromPemFile(options.CaFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOperationException($"Sip:Tls: cannot load the CA file '{options.CaFile}': {ex.Message}", ex);
            }

            if (roots.Count == 0)
            {
                throw new InvalidOperationException($"Sip:Tls: the CA file '{options.CaFile}' holds no certificate.");
            }
        }

        return new TlsContext(certificate, chain, roots, options);
    }

    /// <summary>
    /// The server side. A client certificate is not asked for: phones authenticate by digest (RFC 3261 §26.3.2.1
    /// leaves mutual TLS to peers that have certificates). Renegotiation is refused, as it costs us a handshake each time.
    /// </summary>
    internal Task AuthenticateAsServerAsync(SslStream stream, CancellationToken cancellationToken) =>
        stream.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificateContext,
                EnabledSslProtocols = Protocols,
                ClientCertificateRequired = false,
                AllowRenegotiation = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            },
            cancellationToken);

    /// <summary>
    /// The client side, to an upstream or back to a phone. The certificate must name the address connected to (an IP
    /// subjectAltName), as the transport is handed addresses, not the URI's host name; our own certificate is offered
    /// when the server asks for one.
    /// </summary>
    internal Task AuthenticateAsClientAsync(SslStream stream, IPEndPoint remote, CancellationToken cancellationToken)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = remote.Address.ToString(),
            EnabledSslProtocols = Protocols,
            ClientCertificateContext = _certificateContext,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (!_validateServer)
        {
            // The operator asked for it with Sip:Tls:ValidateServerCertificate=false (documented in docs/tls.md).
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (_trustedRoots.Count > 0)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_trustedRoots);
            options.CertificateChainPolicy = policy;
        }

        return stream.AuthenticateAsClientAsync(options, cancellationToken);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        foreach (var certificate in _chain.Concat(_trustedRoots))
        {
            certificate.Dispose();
        }
    }
}
