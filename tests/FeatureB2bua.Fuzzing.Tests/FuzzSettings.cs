using System.Globalization;

namespace FeatureB2bua.Fuzzing.Tests;

/// <summary>
/// How long and from where the fuzzers run: short by default so CI stays quick, longer with
/// <c>FUZZ_PARSER_SECONDS</c> / <c>FUZZ_SERVER_SECONDS</c>; <c>FUZZ_SEED</c> starts from a given seed instead of a fresh one.
/// </summary>
public static class FuzzSettings
{
    public static TimeSpan ParserBudget => TimeSpan.FromSeconds(Read("FUZZ_PARSER_SECONDS") ?? 15);

    public static TimeSpan ServerBudget => TimeSpan.FromSeconds(Read("FUZZ_SERVER_SECONDS") ?? 20);

    /// <summary>The first case's seed; case n uses this plus n. A fresh one each run unless pinned, so CI keeps exploring.</summary>
    public static int FirstSeed { get; } = Read("FUZZ_SEED") ?? Random.Shared.Next(int.MaxValue / 2);

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
