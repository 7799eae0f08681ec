using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FeatureB2bua.Tests.Common;

/// <summary>
/// A throwaway self-signed certificate for 127.0.0.1 made when a test runs (never a checked-in key), written as PEM
/// files to a temporary directory that goes with it. It is its own CA, so a test can trust it as a root.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private readonly DirectoryInfo _directory;

    public TestCertificate(string name = "b2bua-test")
    {
        _directory = Directory.CreateTempSubdirectory("tls-");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        CertificateFile = Path.Combine(_directory.FullName, "cert.pem");
        PrivateKeyFile = Path.Combine(_directory.FullName, "key.pem");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(PrivateKeyFile, key.ExportPkcs8PrivateKeyPem());
        Certificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public string CertificateFile { get; }

    public string PrivateKeyFile { get; }

    /// <summary>The certificate with its key, for a test's own TLS server.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Accepts a server certificate only if it is exactly this one, as a client that pinned it would.</summary>
    public bool IsPresentedBy(X509Certificate? presented) => presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString();

    public void Dispose()
    {
        Certificate.Dispose();
        _directory.Delete(recursive: true);
    }
}
