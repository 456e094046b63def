using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// The README's first command, samples/run.sh, on the shared packed feed (--no-pack): the sample agent and its
/// hardened twin built on the packed SDK, with the printed tour checked part by part. Then the same workspace with a
/// finding slipped into the twin, which the script must report as missing from the tour.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class SampleTourTests(PackedPackages packages, ITestOutputHelper log)
{
    /// <summary>Every rule of the analyzers: the agent shows each one at least once.</summary>
    private static readonly string[] EveryRule =
    [
        "SBD1001", "SBD1002", "SBD1003", "SBD1004", "SBD1005", "SBD1006", "SBD1007", "SBD1008", "SBD1009", "SBD1010",
        "SBD2001", "SBD2002", "SBD2003", "SBD2004", "SBD2005", "SBD2006", "SBD2007", "SBD2008",
        "SBD3001", "SBD3002", "SBD3003", "SBD3004", "SBD3005", "SBD3006", "SBD3007",
        "SBD4001", "SBD4002",
    ];

    /// <summary>Two cold builds of the agent, one warm one, the twin's, and ten parsers' resilience runs; a busy machine is slower.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private static readonly string[] BuildSettings = ["--no-pack", "--", "-nodeReuse:false", "-p:UseSharedCompilation=false"];

    [Fact]
    public void RunSh_PrintsEachPartInOrder_AndExitsZero_ThenFailsWhenTheTwinGetsAFinding()
    {
        var workspace = ConsumerWorkspace.Create(packages, log, "tour");
        workspace.CopySamples();

        var tour = workspace.RunScript("run.sh", Timeout, BuildSettings);

        Assert.True(tour.Succeeded, tour.Describe());
        var parts = Parts(tour.Output);
        foreach (var rule in EveryRule)
        {
            Assert.Contains($"  {rule}  ", parts[0]);
        }

        Assert.Contains("SBD5014  target 'channel-291.csv' (schema 'templates'): 21 fields per record, but EndpointAgent.Content.TemplateRecordReader.Read reads 20", parts[1]);
        Assert.Contains("SBD5016  target 'rules.txt': new content in ring 'broad'", parts[1]);
        Assert.Contains("SBD6001  EndpointAgent.Content.TemplateRecordReader.Read threw System.IndexOutOfRangeException", parts[2]);
        Assert.Contains("20 field(s) in the longest", parts[2]);
        Assert.Contains("replay (in samples/): dotnet ", parts[2]);
        Assert.Contains("Replayed TemplateRecordReader.Read's input: IndexOutOfRangeException again.", parts[2]);
        Assert.Contains("Built with no finding.", parts[3]);
        Assert.Contains("SecureByDesign signed content: verified: root version 1, 2 target(s)", parts[3]);
        Assert.Contains("SecureByDesign resilience: EndpointAgent.Content.TemplateRecordReader.Read: 1 corpus file(s) replayed", parts[3]);
        Assert.Contains("==> Every expected result happened", tour.Output);
        // The keys were made by the build, under obj/, and nowhere in the sources.
        Assert.True(File.Exists(Path.Combine(workspace.Root, "HardenedAgent", "obj", "signed-content", "keys", "online.key")));

        workspace.WriteFile("HardenedAgent/Content/Leftover.cs", """
            namespace EndpointAgent.Content;

            public static class Leftover
            {
                [SecureByDesign.ContentParser]
                public static int Count(string text) => int.Parse(text);
            }
            """);
        // Corpus replay only this time (no mutation): the twin's finding fails the tour without it, and it saves a minute.
        var broken = workspace.RunScript("run.sh", Timeout, [.. BuildSettings, "-p:SecureByDesignResilienceSeconds=0"]);

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("Content/Leftover.cs(6,", Parts(broken.Output)[3]);
        Assert.Contains("==> Missing from the tour:", broken.Output);
        Assert.Contains("  - the twin to build with no finding and no error", broken.Output);
        Assert.DoesNotContain("Every expected result happened", broken.Output);
    }

    /// <summary>The text of parts 1 to 4, which must come in that order.</summary>
    private static string[] Parts(string output)
    {
        var starts = Enumerable.Range(1, 4).Select(n => output.IndexOf($"==> {n}. ", StringComparison.Ordinal)).Append(output.Length).ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(starts[i] >= 0 && starts[i] < starts[i + 1], $"Part {i + 1} is missing or out of order:{Environment.NewLine}{output}");
        }

        return Enumerable.Range(0, 4).Select(i => output[starts[i]..starts[i + 1]]).ToArray();
    }
}
