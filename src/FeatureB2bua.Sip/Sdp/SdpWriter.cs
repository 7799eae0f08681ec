using System.Buffers;

namespace FeatureB2bua.Sip.Sdp;

/// <summary>
/// Writes a <see cref="SessionDescription"/> as CRLF-terminated SDP, fields in the order of
/// RFC 8866 §5. A description parsed from canonical input writes back byte for byte.
/// Fields must not contain CR, LF or NUL; writing one throws <see cref="ArgumentException"/>.
/// </summary>
public static class SdpWriter
{
    /// <summary>The exact number of bytes <see cref="Write(SessionDescription, Span{byte})"/> produces.</summary>
    public static int GetByteCount(SessionDescription sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var output = SdpOutput.Measuring();
        WriteSession(sdp, ref output);
        return output.Length;
    }

    /// <summary>Returns false, with nothing usable written, when <paramref name="destination"/> is too small.</summary>
    public static bool TryWrite(SessionDescription sdp, Span<byte> destination, out int bytesWritten)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var output = SdpOutput.Into(destination);
        WriteSession(sdp, ref output);
        bytesWritten = output.Overflowed ? 0 : output.Length;
        return !output.Overflowed;
    }

    public static int Write(SessionDescription sdp, Span<byte> destination)
    {
        if (!TryWrite(sdp, destination, out var written))
        {
            throw new ArgumentException(
                $"Destination is too small for the SDP ({GetByteCount(sdp)} bytes needed).", nameof(destination));
        }

        return written;
    }

    public static void Write(SessionDescription sdp, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = GetByteCount(sdp);
        writer.Advance(Write(sdp, writer.GetSpan(length)));
    }

    public static byte[] ToArray(SessionDescription sdp)
    {
        var bytes = new byte[GetByteCount(sdp)];
        Write(sdp, bytes);
        return bytes;
    }

    private static void WriteSession(SessionDescription sdp, ref SdpOutput output)
    {
        output.Begin('v');
        output.Append((ulong)SessionDescription.Version);
        output.EndLine();

        var origin = sdp.Origin;
        output.Begin('o');
        output.Append(origin.Username);
        output.Append(' ');
        output.Append(origin.SessionId);
        output.Append(' ');
        output.Append(origin.SessionVersion);
        output.Append(' ');
        output.Append(origin.NetType);
        output.Append(' ');
        output.Append(origin.AddrType);
        output.Append(' ');
        output.Append(origin.Address);
        output.EndLine();

        WriteText(ref output, 's', sdp.SessionName);
        WriteOptional(ref output, 'i', sdp.Information);
        WriteOptional(ref output, 'u', sdp.Uri);
        foreach (var email in sdp.Emails)
        {
            WriteText(ref output, 'e', email);
        }

        foreach (var phone in sdp.Phones)
        {
            WriteText(ref output, 'p', phone);
        }

        WriteConnection(ref output, sdp.Connection);
        WriteBandwidths(ref output, sdp.Bandwidths);
        WriteTimings(ref output, sdp.Timings);
        WriteOptional(ref output, 'z', sdp.TimeZones);
        WriteOptional(ref output, 'k', sdp.EncryptionKey);
        WriteAttributes(ref output, sdp.Attributes);

        foreach (var media in sdp.MediaDescriptions)
        {
            WriteMedia(ref output, media);
        }
    }

    private static void WriteMedia(ref SdpOutput output, MediaDescription media)
    {
        output.Begin('m');
        output.Append(media.Media);
        output.Append(' ');
        output.Append((ulong)media.Port);
        if (media.PortCount is { } count)
        {
            output.Append('/');
            output.Append((ulong)count);
        }

        output.Append(' ');
        output.Append(media.Protocol);
        foreach (var format in media.Formats)
        {
            output.Append(' ');
            output.Append(format);
        }

        output.EndLine();

        WriteOptional(ref output, 'i', media.Information);
        WriteConnection(ref output, media.Connection);
        WriteBandwidths(ref output, media.Bandwidths);
        WriteOptional(ref output, 'k', media.EncryptionKey);
        WriteAttributes(ref output, media.Attributes);
    }

    private static void WriteTimings(ref SdpOutput output, List<SdpTiming> timings)
    {
        if (timings.Count == 0)
        {
            // t= is mandatory (RFC 8866 §5.9); "0 0" is what SIP sessions use (RFC 3264 §5).
            WriteTiming(ref output, new SdpTiming(0, 0));
            return;
        }

        foreach (var timing in timings)
        {
            WriteTiming(ref output, timing);
        }
    }

    private static void WriteTiming(ref SdpOutput output, SdpTiming timing)
    {
        output.Begin('t');
        output.Append(timing.Start);
        output.Append(' ');
        output.Append(timing.Stop);
        output.EndLine();
        foreach (var repeat in timing.Repeats)
        {
            WriteText(ref output, 'r', repeat);
        }
    }

    private static void WriteConnection(ref SdpOutput output, SdpConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        output.Begin('c');
        output.Append(connection.NetType);
        output.Append(' ');
        output.Append(connection.AddrType);
        output.Append(' ');
        output.Append(connection.Address);
        output.EndLine();
    }

    private static void WriteBandwidths(ref SdpOutput output, List<SdpBandwidth> bandwidths)
    {
        foreach (var bandwidth in bandwidths)
        {
            output.Begin('b');
            output.Append(bandwidth.Type);
            output.Append(':');
            output.Append(bandwidth.Value);
            output.EndLine();
        }
    }

    private static void WriteAttributes(ref SdpOutput output, SdpAttributeList attributes)
    {
        foreach (var attribute in attributes)
        {
            output.Begin('a');
            output.Append(attribute.Name);
            if (attribute.Value is not null)
            {
                output.Append(':');
                output.Append(attribute.Value);
            }

            output.EndLine();
        }
    }

    private static void WriteOptional(ref SdpOutput output, char type, string? text)
    {
        if (text is not null)
        {
            WriteText(ref output, type, text);
        }
    }

    private static void WriteText(ref SdpOutput output, char type, string text)
    {
        output.Begin(type);
        output.Append(text);
        output.EndLine();
    }
}
