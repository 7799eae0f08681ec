using System.ComponentModel.DataAnnotations;
using FeatureB2bua.Sip.Transactions;
using FeatureB2bua.Sip.Transport;

namespace FeatureB2bua.Hosting;

/// <summary>The <c>Sip</c> configuration section (DESIGN.md §6).</summary>
public sealed class SipOptions : IValidatableObject
{
    public const string Section = "Sip";

    /// <summary>Listen points such as <c>udp:127.0.0.1:5060</c>, <c>tcp:127.0.0.1:5060</c> and <c>tls:127.0.0.1:5061</c>.</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>Our domain, and the digest realm.</summary>
    [Required]
    public string Domain { get; set; } = "example.test";

    public SipTimerOptions Timers { get; set; } = new();

    public TransportOptions Transport { get; set; } = new();

    /// <summary>Certificate and trust for <c>tls:</c> listen points and outgoing TLS (docs/tls.md).</summary>
    public TlsOptions Tls { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Listen.Count == 0)
        {
            yield return new ValidationResult("Sip:Listen needs at least one listen point, e.g. udp:127.0.0.1:5060.", [nameof(Listen)]);
        }

        foreach (var text in Listen)
        {
            if (!ListenPoint.TryParse(text, out var point))
            {
                yield return new ValidationResult($"Sip:Listen entry '{text}' is not of the form udp:ADDRESS:PORT, tcp:ADDRESS:PORT or tls:ADDRESS:PORT.", [nameof(Listen)]);
            }
            else if (point.Protocol == TransportProtocol.Tls && !Tls.HasCertificate)
            {
                yield return new ValidationResult($"Sip:Listen entry '{text}' is a TLS listen point but no certificate is configured: set Sip:Tls:CertificateFile and Sip:Tls:PrivateKeyFile to PEM files.", [nameof(Listen), nameof(Tls)]);
            }
        }

        if (Timers.T1 <= TimeSpan.Zero || Timers.T2 < Timers.T1 || Timers.T4 <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Sip:Timers needs T1 > 0, T2 >= T1 and T4 > 0 (RFC 3261 §17.1.1.1).", [nameof(Timers)]);
        }
    }
}
