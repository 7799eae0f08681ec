namespace FeatureB2bua.Fuzzing.Tests;

/// <summary>
/// Inputs the fuzzers once broke something with, as the failure report printed them (base64), each with what it
/// broke and the fix. <see cref="ReplayTests"/> runs every one on each build so that none comes back.
/// </summary>
public static class KnownBadInputs
{
    public static TheoryData<string, string> All => new()
    {
        {
            // seed 5697: Authorization with qop="auth,auth-int" parsed, then DigestCredentials.Format() threw ArgumentException.
            // Fixed: DigestParameter.TryGetToken takes only token characters (RFC 3261 §25.1).
            "quoted qop list in Authorization",
            "T1BUSU9OUyBub2JvZHlLbm93c1RoaXNTY2hlbWU6dG90YWxseW9wYXF1ZWNvbnRlbnQgU0lQLzIuMA0KVG86IHNpcDp1c2VyQGV4YW1wbGUuY29tDQpGcm9tOiBzaXA6Y2FsbGVyQGV4YW1wbGUubmV0O3RhZz0zODQNCk1heC1Gb3J3YXJkczogMw0KQ2FsbC1JRDogdW5rc2NtLm5hc2RmYXNzZXIwcTIzOW53c2RmYXNka2wzNA0KQ1NlcTogMzkyMzQyMyBPUFRJT05TDQpWaWE6IFNJUC8yLjAvVENQIGhvc3Q5LmV4YW1wbGUuY29tO2JyYW5jaD16OWhHNGJLa2RqdXczOTIzNA0KQXV0aG9yaXphdGlvbjogRGlnZXN0IHVzZXJuYW1lPSIiLCByZWFsbT0iZXhhbXBsZS50ZXN0Iiwgbm9uY2U9ImFiYzEyMyIsIHVyaT0ic2lwOmV4YW1wbGUudGVzdCIsIHJlc3BvbnNlPSIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiIsIGFsZ29yaXRobT1NRDUsIGNub25jZT0iMGE0ZjExM2IiLCBxb3A9ImF1dGgsYXV0aC1pbnQiLCBuYz0wMDAwMDAwMSwgb3BhcXVlPSJ4eXoiDQpDb250ZW50LUxlbmd0aDogMA0KDQo="
        },
    };
}
