using SecureByDesign.Resilience.Fuzzing;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Tests;

/// <summary>The parsers with known bugs (tests/SecureByDesign.Resilience.TestParsers), their corpus, and the real runner.</summary>
internal static class TestParsers
{
    public const string Records = "Vendor.Content.Records.Parse";
    public const string RecordsChecked = "Vendor.Content.Records.ParseChecked";
    public const string TrustsLength = "Vendor.Content.Frames.TrustsLength";
    public const string FramesChecked = "Vendor.Content.Frames.Checked";
    public const string Hangs = "Vendor.Content.Frames.Hangs";
    public const string Allocates = "Vendor.Content.Frames.AllocatesWithoutBound";
    public const string FailsFast = "Vendor.Content.Frames.FailsFast";
    public const string Nesting = "Vendor.Content.Nesting.Depth";

    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "SecureByDesign.Resilience.TestParsers.dll");

    public static string Corpus(string relative) => Path.Combine(AppContext.BaseDirectory, "corpus", relative);

    public static RunnerCommand Runner => RunnerCommand.ForTool(Path.Combine(AppContext.BaseDirectory, "sbd.dll"));

    /// <summary>Options for a test: a short budget, a small memory limit, findings under a fresh folder.</summary>
    public static FuzzOptions Options(double seconds, string output, long maxRuns = long.MaxValue, int timeLimitMs = 1000) => new()
    {
        Runner = Runner,
        OutputDirectory = output,
        Duration = TimeSpan.FromSeconds(seconds),
        MaxRuns = maxRuns,
        TimeLimit = TimeSpan.FromMilliseconds(timeLimitMs),
        MemoryLimitBytes = 64L << 20,
    };

    /// <summary>Runs the gate over one parser and its corpus.</summary>
    public static ResilienceGate.Result Run(string parser, string? corpus, FuzzOptions options, params string[] rejects) =>
        ResilienceGate.Run(
            Assembly,
            new[] { parser },
            includeMarked: false,
            corpus is null ? Array.Empty<ParserSetting>() : new[] { new ParserSetting(parser, Corpus(corpus)) },
            rejects.Select(r => new ParserSetting(parser, r)).ToArray(),
            options);
}

/// <summary>A fresh folder for one test's findings, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sbd-resilience-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
