namespace FeatureB2bua.Sip.Transport;

/// <summary>The <c>Sip:Tls</c> settings: our certificate for <c>tls:</c> listen points and how we trust the servers we connect to.</summary>
public sealed class TlsOptions
{
    /// <summary>PEM file with our certificate, optionally followed by its intermediate CA certificates.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM file with the certificate's private key; unset when the key is in <see cref="CertificateFile"/>.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>
    /// PEM file of CA certificates trusted for outgoing connections instead of the system store, for a private CA
    /// or a self-signed upstream.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// Whether a server we connect to must present a certificate that chains to a trusted root and names the
    /// address we connected to. Turning it off accepts any certificate: encryption without authentication.
    /// </summary>
    public bool ValidateServerCertificate { get; set; } = true;

    /// <summary>
    /// A connection whose TLS handshake has not finished by then is closed, so a client that connects and stays
    /// silent gives its slot back (a full handshake takes two round trips).
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificateFile);
}
