using System.ComponentModel.DataAnnotations;
using System.Net;

namespace FeatureB2bua.Media.Anchor;

/// <summary>What a packet from a new source does to a side that has latched already.</summary>
public enum RelatchPolicy
{
    /// <summary>Dropped and counted: nobody can take over a call's media by sending to its port (the default).</summary>
    Never,

    /// <summary>Becomes the side's address once the latched source has been silent for <see cref="MediaOptions.RelatchSilenceSeconds"/>: a phone whose NAT binding changed.</summary>
    AfterSilence,

    /// <summary>Every packet's source is the side's address: the last sender wins.</summary>
    Always,
}

/// <summary>The <c>Media</c> configuration section (DESIGN.md §6).</summary>
public sealed class MediaOptions : IValidatableObject
{
    public const string Section = "Media";

    /// <summary>The address put in every SDP we send; what both parties send their RTP to.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The address the media ports are bound to, when it is not <see cref="Address"/> (behind a 1:1 NAT, say).</summary>
    public string? BindAddress { get; set; }

    /// <summary>
    /// First port of the range; RTP takes the even port of each pair and RTCP the odd one above it (RFC 3550 §11).
    /// The default range ends below Linux's ephemeral ports (32768-60999), which outgoing sockets would take from it.
    /// </summary>
    [Range(1024, 65534)]
    public int PortMin { get; set; } = 16384;

    [Range(1025, 65535)]
    public int PortMax { get; set; } = 32767;

    /// <summary>An answered call whose expected media has all been silent this long is hung up; 0 never.</summary>
    [Range(0, 86400)]
    public int InactivityTimeoutSeconds { get; set; } = 60;

    /// <summary>One direction silent this long while the other flows is reported as one-way audio; 0 never.</summary>
    [Range(0, 86400)]
    public int OneWayAfterSeconds { get; set; } = 10;

    public RelatchPolicy Relatch { get; set; } = RelatchPolicy.Never;

    [Range(1, 3600)]
    public int RelatchSilenceSeconds { get; set; } = 2;

    public IPAddress AdvertisedAddress => IPAddress.Parse(Address);

    public IPAddress BoundAddress => IPAddress.Parse(BindAddress ?? Address);

    /// <summary>Whole RTP/RTCP pairs in the range.</summary>
    public int PairCount => Math.Max(0, ((PortMax - FirstEvenPort + 1) / 2));

    public int FirstEvenPort => PortMin + (PortMin & 1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Address, out _))
        {
            yield return new ValidationResult($"Media:Address '{Address}' is not an IP address.", [nameof(Address)]);
        }

        if (BindAddress is not null && !IPAddress.TryParse(BindAddress, out _))
        {
            yield return new ValidationResult($"Media:BindAddress '{BindAddress}' is not an IP address.", [nameof(BindAddress)]);
        }

        if (PairCount < 2)
        {
            yield return new ValidationResult($"Media:PortMin..PortMax ({PortMin}..{PortMax}) must hold at least two RTP/RTCP pairs, one per leg of a call.", [nameof(PortMin), nameof(PortMax)]);
        }
    }
}
