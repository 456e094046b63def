using System.Text.Json;
using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// The analyzers as the SDK brings them: warnings on a developer's machine, errors in CI, a SARIF 2.1 log in obj/
/// (moved or turned off by SecureByDesignSarif), in both the &lt;Sdk&gt; form and the PackageReference form.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class SdkAnalyzerTests(PackedPackages packages, ITestOutputHelper log)
{
    private static readonly int HttpLine = ConsumerSources.LineOf(ConsumerSources.Updater, "http://");

    [Fact]
    public void SdkBuild_Locally_WarnsAndWritesSarif_InCi_FailsWithErrors()
    {
        var workspace = ConsumerWorkspace.Create(packages, log, "sdk-ci");
        var project = workspace.WriteSdkProject("Consumer", new Dictionary<string, string>(), versionInGlobalJson: false, ("Updater.cs", ConsumerSources.Updater));

        var local = workspace.Build("Consumer");

        Assert.True(local.Succeeded, local.Describe());
        Assert.Contains(Finding.Parse(local.Output), f => f is { Id: "SBD3006", Severity: "warning", FileName: "Updater.cs" } && f.Line == HttpLine);
        var sarif = Path.Combine(project, "obj", "Debug", "net10.0", "SecureByDesign.sarif");
        Assert.True(File.Exists(sarif), "No SARIF log at " + sarif);
        using (var document = JsonDocument.Parse(File.ReadAllText(sarif)))
        {
            Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
            var run = document.RootElement.GetProperty("runs")[0];
            Assert.Contains(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "SBD3006");
            Assert.Contains(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == "SBD3006");
        }

        // The CI build also moves the log (SecureByDesignSarif) to a folder that does not exist yet.
        var moved = Path.Combine(workspace.Root, "scans", "consumer.sarif");
        var ci = workspace.Build("Consumer", "--no-restore", "-p:ContinuousIntegrationBuild=true", $"-p:SecureByDesignSarif={moved}");

        Assert.False(ci.Succeeded, ci.Describe());
        var findings = Finding.Parse(ci.Output);
        Assert.Contains(findings, f => f is { Id: "SBD3006", Severity: "error" } && f.Line == HttpLine);
        Assert.Contains(findings, f => f is { Id: "SBD1005", Severity: "error" });
        Assert.DoesNotContain(findings, f => f.Severity == "warning");
        Assert.True(File.Exists(moved), "No SARIF log at " + moved);
        using (var document = JsonDocument.Parse(File.ReadAllText(moved)))
        {
            var results = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray();
            Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "SBD3006" && r.GetProperty("level").GetString() == "error");
        }
    }

    [Fact]
    public void PackageReference_BringsTheAnalyzersOnce_AndStrictByProperty()
    {
        var workspace = ConsumerWorkspace.Create(packages, log, "sdk-packageref");
        workspace.WriteFile(Path.Combine("Consumer", "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <SecureByDesignStrict>true</SecureByDesignStrict>
                <SecureByDesignSarif>false</SecureByDesignSarif>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackedPackages.SdkId}" Version="{packages.Version}" PrivateAssets="all" />
                <!-- The analyzers package as well: the rules must still run once. -->
                <PackageReference Include="{PackedPackages.AnalyzersId}" Version="{packages.Version}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        workspace.WriteFile(Path.Combine("Consumer", "Updater.cs"), ConsumerSources.Updater);

        var build = workspace.Build("Consumer", "-v:d");

        Assert.False(build.Succeeded, build.Describe());
        Assert.Contains(Finding.Parse(build.Output), f => f is { Id: "SBD3006", Severity: "error" } && f.Line == HttpLine);
        // The compiler is handed one SecureByDesign.Analyzers.dll, not two.
        var analyzerSwitches = build.Output.Split('\n').Where(l => l.Contains("/analyzer:", StringComparison.Ordinal) && l.Contains("csc", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(analyzerSwitches);
        Assert.All(analyzerSwitches, l => Assert.Equal(1, CountOf(l, "SecureByDesign.Analyzers.dll")));
        // SecureByDesignSarif=false: no log, and no /errorlog handed to the compiler.
        Assert.All(analyzerSwitches, l => Assert.DoesNotContain("/errorlog:", l, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(workspace.Root, "Consumer", "obj", "Debug", "net10.0", "SecureByDesign.sarif")));
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
}
