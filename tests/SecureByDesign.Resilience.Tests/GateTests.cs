using System.Text;
using SecureByDesign.Resilience.Fuzzing;
using SecureByDesign.Resilience.Running;

namespace SecureByDesign.Resilience.Tests;

/// <summary>
/// The gate through the real runner process (sbd's hidden runner verb): every failure class is caught, reported with
/// its code and input, and the test host survives the runner's deaths. Budgets of a few seconds.
/// </summary>
public sealed class GateTests : IDisposable
{
    private readonly TempFolder output = new();

    public void Dispose() => output.Dispose();

    private static Finding Single(ResilienceGate.Result result)
    {
        Assert.Empty(result.Errors);
        return Assert.Single(Assert.Single(result.Reports).Findings);
    }

    [Fact]
    public void RecordParser_OneFieldTooMany_IsCaught_AndShrunkToTwentyOneFields()
    {
        var result = TestParsers.Run(TestParsers.Records, "records", TestParsers.Options(seconds: 3, output.Path));

        var finding = Single(result);
        Assert.Equal(GateCodes.UnexpectedException, finding.Code);
        Assert.Equal("System.IndexOutOfRangeException", finding.Outcome.Reason);
        Assert.Equal("Vendor.Content.Records.Parse", finding.Outcome.Frame);
        string shrunk = File.ReadAllText(finding.InputFile);
        Assert.Equal(21, Assert.Single(shrunk.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split(',').Length);
        Assert.StartsWith(Path.Combine(output.Path, TestParsers.Records), finding.InputFile, StringComparison.Ordinal);

        string message = finding.ToMessage(Assert.Single(result.Reports).Shape);
        Assert.Matches(@"^.*Records\.cs\(\d+\): error SBD6001: Vendor\.Content\.Records\.Parse threw System\.IndexOutOfRangeException", message);
        Assert.Contains("21 field(s)", message, StringComparison.Ordinal);
        Assert.Contains($"sbd fuzz --replay \"{finding.InputFile}\" --parser {TestParsers.Records} \"{TestParsers.Assembly}\"", message, StringComparison.Ordinal);
        Assert.EndsWith("docs/gates/SBD6001.md)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void BinaryParserThatTrustsALengthField_IsCaught()
    {
        var finding = Single(TestParsers.Run(TestParsers.TrustsLength, "frames", TestParsers.Options(seconds: 3, output.Path)));

        Assert.Equal(GateCodes.UnexpectedException, finding.Code);
        Assert.Equal("System.ArgumentOutOfRangeException", finding.Outcome.Reason);
        Assert.Equal("Vendor.Content.Frames.TrustsLength", finding.Outcome.Frame);
        Assert.True(File.Exists(finding.InputFile));
        Assert.Equal(finding.Input, File.ReadAllBytes(finding.InputFile));
    }

    [Fact]
    public void HangingParser_IsReportedAtTheTimeLimit_AndTheRunnerRestarted()
    {
        var result = TestParsers.Run(TestParsers.Hangs, "steps.bin", TestParsers.Options(seconds: 2, output.Path, timeLimitMs: 300));

        var finding = Single(result);
        Assert.Equal(GateCodes.TimeLimit, finding.Code);
        Assert.True(File.Exists(finding.InputFile));
        Assert.True(Assert.Single(result.Reports).Restarts >= 1);
    }

    [Fact]
    public void OneSlowRun_IsNotAHang_TheTimeLimitCountsOnlyWhenASecondRunHitsItToo()
    {
        // The first run sleeps 700 ms, past the 300 ms limit but inside the watchdog's grace, so the runner lives on
        // and the second run of the same corpus file is quick.
        var result = TestParsers.Run("Vendor.Content.Timing.SlowOnce", "steps.bin", TestParsers.Options(seconds: 1, output.Path, timeLimitMs: 300));

        Assert.Empty(result.Errors);
        var report = Assert.Single(result.Reports);
        Assert.Empty(report.Findings);
        Assert.True(report.MutatedRuns > 0);
    }

    [Fact]
    public void ParserThatAllocatesWithoutBound_IsReportedAtTheMemoryLimit()
    {
        var finding = Single(TestParsers.Run(TestParsers.Allocates, "alloc.bin", TestParsers.Options(seconds: 2, output.Path)));

        Assert.Equal(GateCodes.MemoryLimit, finding.Code);
        Assert.True(File.Exists(finding.InputFile));
    }

    [Fact]
    public void RunThatEndsBetweenTwoWatchdogSamples_IsStillOverTheMemoryLimit_EveryTime()
    {
        var parser = new Parsers.ParserMethod("Vendor.Content.Memory.QuickOverLimit", "Vendor.Content.Memory", "QuickOverLimit", Parsers.InputKind.ByteArray, Attributed: false);
        using var fuzzer = new Fuzzer(TestParsers.Assembly, new ParserTarget(parser, [], []), TestParsers.Options(seconds: 0, output.Path));

        var outcomes = Enumerable.Range(0, 8).Select(i => fuzzer.Execute([(byte)i])).ToList();

        Assert.All(outcomes, o => Assert.Equal(OutcomeKind.MemoryLimit, o.Kind));
        Assert.Single(outcomes.Select(o => o.Signature).Distinct());
    }

    [Fact]
    public void ParserThatCallsFailFast_KillsOnlyTheRunner_AndIsReported()
    {
        var finding = Single(TestParsers.Run(TestParsers.FailsFast, "steps.bin", TestParsers.Options(seconds: 2, output.Path)));

        Assert.Equal(GateCodes.RunnerDied, finding.Code);
        Assert.Equal("FailFast", finding.Outcome.Reason);
        Assert.StartsWith("unknown content version", finding.Outcome.Message, StringComparison.Ordinal);
        Assert.Single(finding.Input);
        Assert.True(finding.Input[0] > 3);
    }

    [Fact]
    public void ParserThatOverflowsTheStack_KillsOnlyTheRunner_AndIsReported()
    {
        var finding = Single(TestParsers.Run(TestParsers.Nesting, "nested", TestParsers.Options(seconds: 2, output.Path)));

        Assert.Equal(GateCodes.RunnerDied, finding.Code);
        Assert.Equal("stack overflow", finding.Outcome.Reason);
        Assert.Equal("Vendor.Content.Nesting.Read", finding.Outcome.Frame);
        Assert.True(File.Exists(finding.InputFile));
    }

    [Theory]
    [InlineData(TestParsers.FramesChecked, "frames")]
    [InlineData(TestParsers.RecordsChecked, "records")]
    public void CorrectParser_Passes(string parser, string corpus)
    {
        var result = TestParsers.Run(parser, corpus, TestParsers.Options(seconds: 1, output.Path));

        Assert.True(result.Passed);
        var report = Assert.Single(result.Reports);
        Assert.True(report.MutatedRuns > 10, $"only {report.MutatedRuns} runs");
        Assert.Equal(0, report.Restarts);
    }

    [Fact]
    public void SameSeed_GivesSameFindings()
    {
        static IEnumerable<string> Findings(string folder) =>
            Assert.Single(TestParsers.Run(TestParsers.TrustsLength, "frames", TestParsers.Options(seconds: 30, folder, maxRuns: 400)).Reports)
                .Findings.Select(f => $"{f.Outcome.Signature} {Path.GetFileName(f.InputFile)}");

        using var second = new TempFolder();
        var first = Findings(output.Path).ToList();
        Assert.NotEmpty(first);
        Assert.Equal(first, Findings(second.Path));
    }

    [Fact]
    public void CorpusFileTheParserRejects_FailsTheReplay()
    {
        var finding = Single(TestParsers.Run(TestParsers.Records, "records-bad.csv", TestParsers.Options(seconds: 0, output.Path)));

        Assert.Equal(GateCodes.CorpusRejected, finding.Code);
        Assert.Equal(OutcomeKind.Rejected, finding.Outcome.Kind);
        Assert.Equal(TestParsers.Corpus("records-bad.csv"), finding.InputFile);
        Assert.Contains("shipped corpus file", finding.ToMessage(shape: null), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownParser_IsAConfigurationError()
    {
        var result = TestParsers.Run("Vendor.Content.Records.Missing", corpus: null, TestParsers.Options(seconds: 0, output.Path));

        Assert.False(result.Passed);
        Assert.Contains(": error SBD7050: content parser 'Vendor.Content.Records.Missing' is not", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void MarkedMethodOfTheWrongShape_IsAConfigurationError()
    {
        var result = ResilienceGate.Run(typeof(GateTests).Assembly.Location, Array.Empty<string>(), includeMarked: true, Array.Empty<ParserSetting>(), Array.Empty<ParserSetting>(), TestParsers.Options(0, output.Path));

        Assert.Contains("error SBD7050: SecureByDesign.Resilience.Tests.Misdeclared.Parse is marked [ContentParser] but is not a static method", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Empty(result.Reports);
    }

    [Fact]
    public void RunnerThatCannotStart_FailsClosed()
    {
        var options = new FuzzOptions { Runner = new RunnerCommand(Path.Combine(output.Path, "no-such-runner"), Array.Empty<string>()), OutputDirectory = output.Path };
        var result = TestParsers.Run(TestParsers.Records, "records", options);

        Assert.False(result.Passed);
        Assert.Contains("error SBD7051: the resilience runner cannot run Vendor.Content.Records.Parse", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void RunnerThatCannotLoadTheAssembly_FailsClosed()
    {
        // A copy of the assembly without its dependencies' folder still loads; a truncated copy does not.
        string broken = Path.Combine(output.Path, "Broken.dll");
        byte[] image = File.ReadAllBytes(TestParsers.Assembly);
        File.WriteAllBytes(broken, image);
        var parser = Assert.Single(Parsers.ParserDiscovery.Discover(broken).Candidates, p => p.Name == TestParsers.Records);
        File.WriteAllBytes(broken, image.AsSpan(0, image.Length / 2).ToArray());

        var error = Assert.Throws<RunnerStartException>(() => RunnerProcess.Start(TestParsers.Runner, broken, parser, new Rejections(Array.Empty<string>()), 64L << 20));
        Assert.Contains("BadImageFormatException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileThatIsNotAnAssembly_FailsClosed()
    {
        var result = ResilienceGate.Run(TestParsers.Corpus("records-bad.csv"), Array.Empty<string>(), includeMarked: true, Array.Empty<ParserSetting>(), Array.Empty<ParserSetting>(), TestParsers.Options(0, output.Path));

        Assert.Contains("error SBD7051: the resilience gate cannot read the assembly", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingCorpus_IsAConfigurationError()
    {
        var result = TestParsers.Run(TestParsers.Records, "no-such-folder", TestParsers.Options(seconds: 0, output.Path));

        Assert.Contains("error SBD7052: the corpus of Vendor.Content.Records.Parse names", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Runner_PrintingParser_DoesNotBreakTheProtocol()
    {
        // Every parser kind through the runner once, over one process: string, span, memory, stream, array.
        foreach (string parser in new[] { TestParsers.RecordsChecked, TestParsers.TrustsLength, TestParsers.Hangs, TestParsers.Allocates, TestParsers.FramesChecked })
        {
            var target = Assert.Single(ResilienceGate.Plan(TestParsers.Assembly, new[] { parser }, false, Array.Empty<ParserSetting>(), Array.Empty<ParserSetting>(), new List<string>()));
            using var fuzzer = new Fuzzer(TestParsers.Assembly, target, TestParsers.Options(0, output.Path));
            Assert.True(fuzzer.Execute(Encoding.UTF8.GetBytes("\u0001")).IsPass, parser);
        }
    }
}
