using System.Text.RegularExpressions;
using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// The resilience gate in real builds on the packed SDK. One project holds every buggy parser of
/// tests/SecureByDesign.Resilience.TestParsers (copied in with its corpus) and is built twice with the same seed;
/// a second project holds one correct parser and takes the passing, incremental and configuration cases, each a
/// no-compile build with its own -p settings.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class ResilienceGateTests(PackedPackages packages, ITestOutputHelper log)
{
    private const string GoodParser = """
        namespace Good
        {
            public static class Records
            {
                [SecureByDesign.ContentParser]
                public static int Parse(string text)
                {
                    int count = 0;
                    foreach (string line in text.Split('\n', System.StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (line.Split(',').Length != 3)
                        {
                            throw new System.IO.InvalidDataException("a record has 3 fields");
                        }

                        count++;
                    }

                    return count;
                }
            }
        }

        namespace SecureByDesign
        {
            [System.AttributeUsage(System.AttributeTargets.Method)]
            internal sealed class ContentParserAttribute : System.Attribute
            {
            }
        }
        """;

    private const string GoodItems = """
        <Project>
          <ItemGroup>
            <ContentParser Include="Good.Records.Parse" Corpus="content/*.csv" />
            <ContentParser Include="Good.Records.Parse" Corpus="bad/*.csv" Condition="'$(BadCorpus)' == 'true'" />
            <ContentParser Include="$(ExtraParser)" Condition="'$(ExtraParser)' != ''" />
            <ContentParser Include="Good.Records.Parse" Corpus="$(ExtraCorpus)" Condition="'$(ExtraCorpus)' != ''" />
          </ItemGroup>
        </Project>
        """;

    private const string BuggyItems = """
        <Project>
          <ItemGroup>
            <ContentParser Include="Vendor.Content.Records.Parse;Vendor.Content.Records.ParseChecked" Corpus="corpus/records/*.csv" />
            <ContentParser Include="Vendor.Content.Frames.TrustsLength;Vendor.Content.Frames.Checked" Corpus="corpus/frames/*.bin" />
            <ContentParser Include="Vendor.Content.Frames.Hangs;Vendor.Content.Frames.FailsFast" Corpus="corpus/steps.bin" />
            <ContentParser Include="Vendor.Content.Frames.AllocatesWithoutBound" Corpus="corpus/alloc.bin" />
            <ContentParser Include="Vendor.Content.Nesting.Depth" Corpus="corpus/nested/*.txt" />
          </ItemGroup>
        </Project>
        """;

    private static readonly Regex Error = new(@"^\s*(?<file>.+?)(\((?<line>\d+)(,\d+)*\))?\s?: error (?<code>SBD[67]\d{3}): (?<message>.*?)( \[[^\]]+\])?\r?$", RegexOptions.Multiline, TimeSpan.FromSeconds(5));
    private static readonly object Lock = new();
    private static (PackedPackages Packages, ConsumerWorkspace Workspace)? shared;

    [Fact]
    public void Build_BuggyParsers_EachFailureIsReportedWithItsInput_SameSeedSameFindings()
    {
        var workspace = Workspace();
        string project = CopyTestParsers(workspace);
        string[] settings = ["-p:SecureByDesignResilienceSeconds=2", "-p:SecureByDesignResilienceTimeLimitMs=500", "-p:SecureByDesignResilienceMemoryLimitMB=64"];

        var first = workspace.Build("Buggy", settings);

        Assert.False(first.Succeeded, first.Describe());
        Assert.Contains("Build FAILED", first.Output);
        var errors = Errors(first);
        string records = Single(errors, "SBD6001", "Vendor.Content.Records.Parse threw System.IndexOutOfRangeException");
        Assert.Contains("21 field(s) in the longest", records);
        string input = Input(records);
        Assert.StartsWith(Path.Combine(project, "obj"), input);
        Assert.Equal(21, File.ReadAllText(input).Split(',').Length);
        Assert.Contains($"replay: sbd fuzz --replay \"{input}\" --parser Vendor.Content.Records.Parse", records);

        Single(errors, "SBD6001", "Vendor.Content.Frames.TrustsLength threw System.ArgumentOutOfRangeException");
        Single(errors, "SBD6002", "Vendor.Content.Frames.Hangs ran past the time limit");
        Single(errors, "SBD6003", "Vendor.Content.Frames.AllocatesWithoutBound ran past the memory limit");
        Single(errors, "SBD6004", "the runner died running Vendor.Content.Frames.FailsFast (FailFast: unknown content version");
        Single(errors, "SBD6004", "the runner died running Vendor.Content.Nesting.Depth (stack overflow");
        Assert.Equal(6, errors.Count);
        Assert.Contains("resilience: Vendor.Content.Records.ParseChecked: 3 corpus file(s) replayed", first.Output);
        Assert.Contains("resilience: Vendor.Content.Frames.Checked: 2 corpus file(s) replayed", first.Output);

        var second = workspace.Build("Buggy", [.. settings, "--no-restore"]);
        // The same inputs, shrunk to the same files; details such as the megabytes counted may differ. A time limit
        // depends on the machine as well as the input (a starved run counts only if its second run is slow too), so
        // for SBD6002 the same parser is enough.
        Assert.Equal(Comparable(errors), Comparable(Errors(second)));
    }

    private static IEnumerable<(string Code, string Input)> Comparable(IReadOnlyList<(string File, string Code, string Message)> errors) =>
        errors.Select(e => (e.Code, e.Code == "SBD6002" ? Path.GetFileName(Path.GetDirectoryName(Input(e.Message)))! : Input(e.Message))).Order();

    [Fact]
    public void Build_CorrectParser_Passes_ThenSkips_UntilTheCorpusChanges()
    {
        var workspace = Workspace();

        var first = workspace.Build("Good", "--no-restore", "-p:SecureByDesignResilienceSeconds=1");
        Assert.True(first.Succeeded, first.Describe());
        Assert.Matches(@"SecureByDesign resilience: Good\.Records\.Parse: 2 corpus file\(s\) replayed, \d+ mutated input\(s\) in [\d.]+ s \(seed 0\), 0 runner restart\(s\), 0 failure\(s\)", first.Output);

        var second = workspace.Build("Good", "--no-restore", "-p:SecureByDesignResilienceSeconds=1", "-v:n");
        Assert.True(second.Succeeded, second.Describe());
        Assert.Contains("Skipping target \"SecureByDesignResilience\" because all output files are up-to-date", second.Output);

        workspace.WriteFile("Good/content/c.csv", "7,8,9\n");
        var third = workspace.Build("Good", "--no-restore", "-p:SecureByDesignResilienceSeconds=1");
        Assert.True(third.Succeeded, third.Describe());
        Assert.Contains("resilience: Good.Records.Parse: 3 corpus file(s) replayed", third.Output);
    }

    [Theory]
    [InlineData("-p:BadCorpus=true", "SBD6005", "bad/short.csv")]
    [InlineData("-p:ExtraParser=Good.Records.Missing", "SBD7050", "Good.Records.Missing")]
    [InlineData("-p:ExtraCorpus=nothing/*.bin", "SBD7052", "nothing/*.bin")]
    [InlineData("-p:SecureByDesignResilienceSeconds=soon", "SBD7003", "SecureByDesignResilienceSeconds is 'soon'")]
    public void Build_BadCorpusOrSetting_FailsWithItsCode(string property, string code, string named)
    {
        var workspace = Workspace();

        var build = workspace.Build("Good", "--no-restore", property);

        Assert.False(build.Succeeded, build.Describe());
        var errors = Errors(build);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(code, e.Code));
        Assert.Contains(errors, e => e.Message.Contains(named, StringComparison.Ordinal) || e.File.EndsWith(named.Replace('/', Path.DirectorySeparatorChar), StringComparison.Ordinal));
    }

    private static string Single(IReadOnlyList<(string File, string Code, string Message)> errors, string code, string start)
    {
        var error = Assert.Single(errors, e => e.Code == code && e.Message.StartsWith(start, StringComparison.Ordinal));
        Assert.Contains("on input '", error.Message);
        return error.Message;
    }

    private static string Input(string message) => Regex.Match(message, "on input '(?<file>[^']+)'", RegexOptions.None, TimeSpan.FromSeconds(5)).Groups["file"].Value;

    private static IReadOnlyList<(string File, string Code, string Message)> Errors(ProcessResult build) =>
        Error.Matches(build.Output).Select(m => (m.Groups["file"].Value.Trim(), m.Groups["code"].Value, m.Groups["message"].Value.Trim())).Distinct().ToList();

    /// <summary>The test parsers' sources and corpus, in a project on the packed SDK.</summary>
    private static string CopyTestParsers(ConsumerWorkspace workspace)
    {
        string source = Path.Combine(RepositoryPaths.Root, "tests", "SecureByDesign.Resilience.TestParsers");
        var files = Directory.EnumerateFiles(source, "*.cs").Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
        files.Add(("Directory.Build.targets", BuggyItems));
        string project = workspace.WriteSdkProject("Buggy", new Dictionary<string, string>(), versionInGlobalJson: false, [.. files]);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(source, "corpus"), "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(project, "corpus", Path.GetRelativePath(Path.Combine(source, "corpus"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return project;
    }

    /// <summary>The workspace with the correct parser's project, built once; this test's log.</summary>
    private ConsumerWorkspace Workspace()
    {
        lock (Lock)
        {
            if (shared is not { } open || open.Packages != packages)
            {
                var workspace = ConsumerWorkspace.Create(packages, log, "resilience");
                workspace.WriteSdkProject("Good", new Dictionary<string, string>(), versionInGlobalJson: false, ("Records.cs", GoodParser), ("Directory.Build.targets", GoodItems));
                workspace.WriteFile("Good/content/a.csv", "1,2,3\n4,5,6\n");
                workspace.WriteFile("Good/content/b.csv", "a,b,c\n");
                workspace.WriteFile("Good/bad/short.csv", "1,2\n");
                var build = workspace.Build("Good");
                Assert.True(build.Succeeded, build.Describe());
                shared = (packages, workspace);
            }

            return shared.Value.Workspace.WithLog(log);
        }
    }
}
