using SecureByDesign.Tool;

namespace SecureByDesign.Tool.Tests;

/// <summary><c>sbd fuzz</c> over the resilience test parsers, with the real runner (this build's sbd.dll).</summary>
public sealed class FuzzCommandTests : IDisposable
{
    private const string Records = "Vendor.Content.Records.Parse";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sbd-fuzz-" + Guid.NewGuid().ToString("N"));

    public FuzzCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Assembly => Path.Combine(AppContext.BaseDirectory, "SecureByDesign.Resilience.TestParsers.dll");

    private static string Corpus(string relative) => Path.Combine(AppContext.BaseDirectory, "corpus", relative);

    private static (int Exit, string[] Lines, string Error) Sbd(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = Cli.Run(args, output, error);
        return (exit, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error.ToString());
    }

    [Fact]
    public void Fuzz_FindsTheBug_PrintsAnMSBuildError_ThenReplayReproducesIt()
    {
        (int exit, string[] lines, _) = Sbd("fuzz", Assembly, "--parser", Records, "--corpus", Corpus("records"), "--seconds", "3", "--out", _dir);

        Assert.Equal(Cli.Problem, exit);
        string error = Assert.Single(lines, l => l.Contains(": error SBD6001: ", StringComparison.Ordinal));
        Assert.Matches(@"Records\.cs\(\d+\): error SBD6001: Vendor\.Content\.Records\.Parse threw System\.IndexOutOfRangeException", error);
        Assert.Single(lines, l => l.StartsWith($"resilience: {Records}: 3 corpus file(s) replayed, ", StringComparison.Ordinal) && l.EndsWith(", 1 failure(s)", StringComparison.Ordinal));

        string input = Assert.Single(Directory.GetFiles(Path.Combine(_dir, Records)));
        Assert.Contains($"replay: sbd fuzz --replay \"{input}\" --parser {Records} \"{Assembly}\"", error, StringComparison.Ordinal);
        (int replayExit, string[] replayLines, _) = Sbd("fuzz", "--replay", input, "--parser", Records, Assembly);
        Assert.Equal(Cli.Problem, replayExit);
        Assert.Contains(": error SBD6001: Vendor.Content.Records.Parse threw System.IndexOutOfRangeException", Assert.Single(replayLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_OfAGoodInput_ExitsZero_AndOfARejectedOne_SaysItPasses()
    {
        (int exit, string[] lines, _) = Sbd("fuzz", "--replay", Corpus("records/channel-0.csv"), "--parser", Records, Assembly);
        Assert.Equal(Cli.Ok, exit);
        Assert.Equal($"{Records}: passed", Assert.Single(lines));

        (exit, lines, _) = Sbd("fuzz", "--replay", Corpus("records-bad.csv"), "--parser", Records, Assembly);
        Assert.Equal(Cli.Ok, exit);
        Assert.StartsWith($"{Records}: rejected with System.IO.InvalidDataException", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public void CorrectParser_ExitsZero_WithItsSummary()
    {
        (int exit, string[] lines, _) = Sbd("fuzz", Assembly, "--parser", "Vendor.Content.Frames.Checked", "--corpus", Corpus("frames"), "--seconds", "1", "--seed", "42", "--out", _dir);

        Assert.Equal(Cli.Ok, exit);
        Assert.Matches(@"^resilience: Vendor\.Content\.Frames\.Checked: 2 corpus file\(s\) replayed, \d+ mutated input\(s\) in [\d.]+ s \(seed 42\), 0 runner restart\(s\), 0 failure\(s\)$", Assert.Single(lines));
    }

    [Fact]
    public void PerParserSettings_ApplyToThatParserOnly()
    {
        // The rejected corpus file goes to Records.Parse only; IndexOutOfRange declared as its rejection.
        (int exit, string[] lines, _) = Sbd(
            "fuzz", Assembly, "--parser", Records, "--parser", "Vendor.Content.Frames.Checked",
            "--corpus", $"{Records}={Corpus("records-bad.csv")}", "--corpus", $"Vendor.Content.Frames.Checked={Corpus("frames")}",
            "--rejects", $"{Records}=IndexOutOfRangeException", "--out", _dir);

        Assert.Equal(Cli.Problem, exit);
        Assert.Contains(": error SBD6005: shipped corpus file", Assert.Single(lines, l => l.Contains("error", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("resilience: Vendor.Content.Frames.Checked: 2 corpus file(s)", StringComparison.Ordinal) && l.EndsWith(" 0 failure(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownParser_IsAnError_NotAPass()
    {
        (int exit, string[] lines, _) = Sbd("fuzz", Assembly, "--parser", "Vendor.Content.Nope.Parse", "--out", _dir);

        Assert.Equal(Cli.Problem, exit);
        Assert.Contains($"{Assembly}: error SBD7050: content parser 'Vendor.Content.Nope.Parse' is not", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--replay", "x.bin")]
    [InlineData("--seconds", "-1")]
    [InlineData("--time-limit-ms", "0")]
    public void BadCommandLine_IsUsage(string option, string value)
    {
        (int exit, _, string error) = Sbd("fuzz", Assembly, option, value);
        Assert.Equal(Cli.Usage, exit);
        Assert.StartsWith("usage: ", error, StringComparison.Ordinal);
    }
}
