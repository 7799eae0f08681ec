using System.Text;
using FeatureB2bua.Sip.Auth;

namespace FeatureB2bua.Sip.Tests.Auth;

/// <summary>The parsers take attacker-controlled header values: they must answer, never throw.</summary>
public sealed class DigestParserRobustnessTests
{
    private static readonly byte[][] Seeds =
    [
        "Digest realm=\"atlanta.example.com\", qop=\"auth\",\r\n nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\",\r\n opaque=\"\", stale=FALSE, algorithm=MD5"u8.ToArray(),
        "Digest username=\"alice\",realm=\"atlanta.com\",nonce=\"f4df\",, response=\"f8f\",cnonce=\"gtgt\",opaque=\"\",qop=auth,uri=\"sip:atlanta.com\",nc=00000001"u8.ToArray(),
        "Digest username=\"a\\\"b\", realm=r, nonce=n, uri=sip:x, response=00, algorithm=\"SHA-256-sess\", userhash=true, qop=\"auth\", nc=\"0000000A\", cnonce=c"u8.ToArray(),
        Encoding.UTF8.GetBytes("Digest username=\"Jäsøn\", realm=\"r\", domain=\"sip:a sip:b\", nonce=\"n\", uri=\"u\", response=\"r\""),
    ];

    private static readonly byte[] Alphabet = "\"\\,= \t\r\n\0:;Digestqopncaut0123456789abcdefDIGEST\x7F"u8.ToArray();

    [Theory]
    [InlineData("")]
    [InlineData("\"")]
    [InlineData("\\")]
    [InlineData(",,,,")]
    [InlineData("Digest")]
    [InlineData("Digest ")]
    [InlineData("Digest ,,, ")]
    [InlineData("Digest username=\"")]
    [InlineData("Digest username=\"\\")]
    [InlineData("Digest username=\"abc\r\n")]
    [InlineData("Digest username=\"abc\r\n ")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"\"")]
    [InlineData("Digest ====")]
    [InlineData("\r\n\r\n")]
    [InlineData("Digest\r\n")]
    [InlineData("Digest nc=ffffffff, nc")]
    public void TryParse_Garbage_ReturnsWithoutThrowing(string value) => ParseBoth(Encoding.UTF8.GetBytes(value));

    [Fact]
    public void TryParse_EveryPrefixOfValidValues_ReturnsWithoutThrowing()
    {
        foreach (var seed in Seeds)
        {
            for (var length = 0; length <= seed.Length; length++)
            {
                ParseBoth(seed.AsSpan(0, length));
            }
        }
    }

    [Fact]
    public void TryParse_RandomMutations_ReturnsWithoutThrowing()
    {
        var random = new Random(7616);
        for (var round = 0; round < 5000; round++)
        {
            var bytes = new List<byte>(Seeds[random.Next(Seeds.Length)]);
            var edits = random.Next(1, 6);
            for (var edit = 0; edit < edits; edit++)
            {
                Mutate(bytes, random);
            }

            ParseBoth(bytes.ToArray());
        }
    }

    [Fact]
    public void TryParse_RandomBytes_ReturnsWithoutThrowing()
    {
        var random = new Random(2617);
        var buffer = new byte[600];
        for (var round = 0; round < 2000; round++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            "Digest "u8.CopyTo(buffer);
            ParseBoth(buffer.AsSpan(0, Math.Max(length, "Digest ".Length)));
        }
    }

    [Fact]
    public void TryParse_LongQuotedValueWithEscapes_DecodesBeyondStackBuffer()
    {
        var username = string.Concat(Enumerable.Repeat("a\\\"", 400));
        var value = Encoding.UTF8.GetBytes($"Digest username=\"{username}\", realm=r, nonce=n, uri=u, response=r");

        Assert.True(DigestCredentials.TryParse(value, out var credentials, out _));

        Assert.Equal(string.Concat(Enumerable.Repeat("a\"", 400)), credentials.Username);
    }

    private static void ParseBoth(ReadOnlySpan<byte> value)
    {
        var parsedCredentials = DigestCredentials.TryParse(value, out var credentials, out var error);
        Assert.Equal(parsedCredentials, credentials is not null);
        Assert.Equal(parsedCredentials, error == DigestParseError.None);

        var parsedChallenge = DigestChallenge.TryParse(value, out var challenge, out var reason);
        Assert.Equal(parsedChallenge, challenge is not null);
        Assert.Equal(parsedChallenge, reason is null);
    }

    private static void Mutate(List<byte> bytes, Random random)
    {
        var position = random.Next(bytes.Count + 1);
        var b = random.Next(4) == 0 ? (byte)random.Next(256) : Alphabet[random.Next(Alphabet.Length)];
        switch (random.Next(4))
        {
            case 0 when position < bytes.Count:
                bytes[position] = b;
                break;
            case 1 when position < bytes.Count:
                bytes.RemoveAt(position);
                break;
            case 2:
                bytes.Insert(position, b);
                break;
            default:
                bytes.RemoveRange(position, Math.Min(random.Next(8), bytes.Count - position));
                break;
        }
    }
}
