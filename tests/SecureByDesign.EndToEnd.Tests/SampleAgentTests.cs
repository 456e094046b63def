using System.Text.RegularExpressions;
using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// samples/EndpointAgent, built as a user builds it. Its source marks every line where a finding is
/// expected with a comment "Expected: SBDxxxx"; the build must report exactly those.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class SampleAgentTests(PackedPackages packages, ITestOutputHelper log)
{
    private static readonly string[] EveryRule =
    [
        "SBD1001", "SBD1002", "SBD1003", "SBD1004", "SBD1005", "SBD1006", "SBD1007", "SBD1008", "SBD1009", "SBD1010",
        "SBD2001", "SBD2002", "SBD2003", "SBD2004", "SBD2005", "SBD2006", "SBD2007", "SBD2008",
        "SBD3001", "SBD3002", "SBD3003", "SBD3004", "SBD3005", "SBD3006", "SBD3007",
        "SBD4001",
    ];

    private static readonly Regex ExpectedMarker = new(@"//\s*Expected:\s*(?<id>SBD\d{4})", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [Fact]
    public void Build_SampleAgent_ReportsEveryRule()
    {
        var workspace = ConsumerWorkspace.Create(packages, log, "sample");
        workspace.CopySamples();
        var project = Path.Combine(workspace.Root, "EndpointAgent");

        // The sample as it is: its own Directory.Build files and the floating SecureByDesignVersion default.
        var build = workspace.Build("EndpointAgent/EndpointAgent.csproj");

        Assert.True(build.Succeeded, build.Describe());
        var findings = Finding.Parse(build.Output);
        Assert.All(findings, f => Assert.Equal("warning", f.Severity));

        var expected = ExpectedFindings(project);
        Assert.Equal(EveryRule, expected.Select(e => e.Split(' ')[1]).Distinct().Order());
        var actual = findings.Select(f => $"{Relative(project, f.Path)}:{f.Line} {f.Id}").Order().ToList();
        Assert.True(expected.SequenceEqual(actual), $"""
            Expected findings:
              {string.Join(Environment.NewLine + "  ", expected)}
            Reported findings:
              {string.Join(Environment.NewLine + "  ", actual)}
            {build.Describe()}
            """);
    }

    /// <summary>"Folder/File.cs:line SBDxxxx" for every marker comment in the sample's source.</summary>
    private static List<string> ExpectedFindings(string project) =>
        Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Relative(project, path).StartsWith("obj/", StringComparison.Ordinal) && !Relative(project, path).StartsWith("bin/", StringComparison.Ordinal))
            .SelectMany(path => File.ReadLines(path).Select((text, index) => (text, line: index + 1))
                .SelectMany(l => ExpectedMarker.Matches(l.text).Select(m => $"{Relative(project, path)}:{l.line} {m.Groups["id"].Value}")))
            .Order()
            .ToList();

    private static string Relative(string project, string path) =>
        Path.GetRelativePath(project, path).Replace(Path.DirectorySeparatorChar, '/');
}
