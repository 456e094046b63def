using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>
/// The packed code fixes, applied by <c>dotnet format analyzers</c>: the same code-fix pipeline
/// (Fix All through the workspace) that Visual Studio and Rider use.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class CodeFixTests(PackedPackages packages, ITestOutputHelper log)
{
    [Fact]
    public void FormatAnalyzers_InsecureTransportAndRegexTimeout_RewritesSourceAndRebuildIsClean()
    {
        // Updater plus a finding that is not asked for (SBD3003): it must be left alone.
        const string tls = """
            namespace Consumer;

            public static class Tls
            {
                public static HttpClientHandler Lab()
                {
                    var handler = new HttpClientHandler();
                    handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true;
                    return handler;
                }
            }
            """;
        var workspace = ConsumerWorkspace.Create(packages, log, "format");
        workspace.WriteProject("Consumer", ("Updater.cs", ConsumerSources.Updater), ("Tls.cs", tls));

        var format = workspace.Run("format", "analyzers", "Consumer/Consumer.csproj", "--diagnostics", "SBD3006", "SBD1005", "--severity", "warn");

        Assert.True(format.Succeeded, format.Describe());
        var expected = ConsumerSources.Updater
            .Replace("\"http://updates.example.com/manifest.json\"", "\"https://updates.example.com/manifest.json\"", StringComparison.Ordinal)
            .Replace("Regex.IsMatch(line, \"^([a-z]+ ?)*$\")", "Regex.IsMatch(line, \"^([a-z]+ ?)*$\", RegexOptions.None, TimeSpan.FromSeconds(1))", StringComparison.Ordinal);
        Assert.NotEqual(ConsumerSources.Updater, expected);
        Assert.Equal(expected.ReplaceLineEndings(), workspace.ReadFile("Consumer/Updater.cs").ReplaceLineEndings());
        Assert.Equal(tls.ReplaceLineEndings(), workspace.ReadFile("Consumer/Tls.cs").ReplaceLineEndings());

        var build = workspace.Build("Consumer");

        Assert.True(build.Succeeded, build.Describe());
        var findings = Finding.Parse(build.Output);
        Assert.DoesNotContain(findings, f => f.Id is "SBD3006" or "SBD1005");
        Assert.Contains(findings, f => f.Id == "SBD3003" && f.FileName == "Tls.cs");
    }
}
