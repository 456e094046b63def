using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// The ways a user tunes a rule, honoured by the packed analyzers in a real build. Each build also
/// checks that SBD1005, which is not configured, is still reported: a rule that is quiet because the
/// analyzers did not load would otherwise pass.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class SeverityConfigurationTests(PackedPackages packages, ITestOutputHelper log)
{
    private static readonly int HttpLine = ConsumerSources.LineOf(ConsumerSources.Updater, "http://");
    private static readonly int RegexLine = ConsumerSources.LineOf(ConsumerSources.Updater, "Regex.IsMatch");

    [Fact]
    public void EditorConfig_SeverityError_FailsBuildWithError()
    {
        var build = BuildConsumer(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.SBD3006.severity = error
            """);

        Assert.False(build.Succeeded, build.Describe());
        var findings = Finding.Parse(build.Output);
        AssertReported(findings, "error", "SBD3006", HttpLine, build);
        Assert.DoesNotContain(findings, f => f.Id == "SBD3006" && f.Severity == "warning");
        AssertReported(findings, "warning", "SBD1005", RegexLine, build);
    }

    [Fact]
    public void EditorConfig_SeverityNone_RemovesFinding()
    {
        var build = BuildConsumer(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.SBD3006.severity = none
            """);

        Assert.True(build.Succeeded, build.Describe());
        var findings = Finding.Parse(build.Output);
        Assert.DoesNotContain(findings, f => f.Id == "SBD3006");
        AssertReported(findings, "warning", "SBD1005", RegexLine, build);
    }

    [Fact]
    public void GlobalConfig_SeverityError_FailsBuildWithError()
    {
        // The SDK picks up a .globalconfig next to the project by itself.
        var build = BuildConsumer(".globalconfig", """
            is_global = true
            dotnet_diagnostic.SBD3006.severity = error
            """);

        Assert.False(build.Succeeded, build.Describe());
        var findings = Finding.Parse(build.Output);
        AssertReported(findings, "error", "SBD3006", HttpLine, build);
        AssertReported(findings, "warning", "SBD1005", RegexLine, build);
    }

    [Fact]
    public void PragmaWarningDisable_SilencesFinding()
    {
        var source = ConsumerSources.Updater
            .Replace("    public static Task<string> FetchManifestAsync", "#pragma warning disable SBD3006 // The lab mirror has no TLS.\n    public static Task<string> FetchManifestAsync", StringComparison.Ordinal)
            .Replace("    public static bool IsRuleLine", "#pragma warning restore SBD3006\n\n    public static bool IsRuleLine", StringComparison.Ordinal);
        Assert.Contains("#pragma warning disable SBD3006", source);
        var workspace = ConsumerWorkspace.Create(packages, log, "pragma");
        workspace.WriteProject("Consumer", ("Updater.cs", source));

        var build = workspace.Build("Consumer");

        Assert.True(build.Succeeded, build.Describe());
        var findings = Finding.Parse(build.Output);
        Assert.DoesNotContain(findings, f => f.Id == "SBD3006");
        AssertReported(findings, "warning", "SBD1005", ConsumerSources.LineOf(source, "Regex.IsMatch"), build);
    }

    /// <summary>Builds the Updater consumer with one configuration file next to its project.</summary>
    private ProcessResult BuildConsumer(string configFile, string configText)
    {
        var workspace = ConsumerWorkspace.Create(packages, log, configFile.TrimStart('.'));
        workspace.WriteProject("Consumer", ("Updater.cs", ConsumerSources.Updater), (configFile, configText));
        return workspace.Build("Consumer");
    }

    private static void AssertReported(IReadOnlyList<Finding> findings, string severity, string id, int line, ProcessResult build) =>
        Assert.True(
            findings.Any(f => f.Severity == severity && f.Id == id && f.FileName == "Updater.cs" && f.Line == line),
            $"Expected {severity} {id} at Updater.cs line {line}; found [{string.Join(", ", findings)}].{Environment.NewLine}{build.Describe()}");
}
