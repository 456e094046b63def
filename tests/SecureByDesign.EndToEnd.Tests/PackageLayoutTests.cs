using SecureByDesign.EndToEnd.Tests.Infrastructure;

namespace SecureByDesign.EndToEnd.Tests;

/// <summary>What is inside the packed packages: the places NuGet and the compiler look for.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class PackageLayoutTests(PackedPackages packages)
{
    [Fact]
    public void Pack_AnalyzersPackage_ShipsAnalyzersAndCodeFixesAsDevelopmentDependency()
    {
        var entries = PackedPackages.Entries(packages.AnalyzersPackage);

        Assert.Contains("analyzers/dotnet/cs/SecureByDesign.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/SecureByDesign.CodeFixes.dll", entries);
        Assert.Contains("README.md", entries);
        // Nothing a consumer would compile against or ship: no lib/ or ref/ assembly.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal));

        var metadata = Metadata(packages.AnalyzersPackage);
        Assert.Equal(PackedPackages.AnalyzersId, metadata["id"].Value);
        Assert.Equal("true", metadata["developmentDependency"].Value);
        Assert.Equal("README.md", metadata["readme"].Value);
        var license = metadata["license"];
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.False(string.IsNullOrWhiteSpace(license.Value));
        // The analyzers run in the compiler, which brings Roslyn: the package depends on nothing.
        Assert.False(metadata.ContainsKey("dependencies") && metadata["dependencies"].Descendants().Any(e => e.Name.LocalName == "dependency"));
    }

    [Fact]
    public void Pack_AnnotationsPackage_ShipsNetStandardLibrary()
    {
        var entries = PackedPackages.Entries(packages.AnnotationsPackage);

        Assert.Contains("lib/netstandard2.0/SecureByDesign.Annotations.dll", entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal));

        var metadata = Metadata(packages.AnnotationsPackage);
        Assert.Equal(PackedPackages.AnnotationsId, metadata["id"].Value);
        Assert.Equal(packages.Version, metadata["version"].Value);
        Assert.Equal("expression", (string?)metadata["license"].Attribute("type"));
    }

    [Fact]
    public void Pack_SdkPackage_ShipsSdkBuildTasksAnalyzersAndSbdForNet8()
    {
        var entries = PackedPackages.Entries(packages.SdkPackage);

        Assert.Contains("Sdk/Sdk.props", entries);
        Assert.Contains("Sdk/Sdk.targets", entries);
        Assert.Contains("build/SecureByDesign.Sdk.props", entries);
        Assert.Contains("build/SecureByDesign.Sdk.targets", entries);
        Assert.Contains("build/SecureByDesign.Sdk.Content.targets", entries);
        Assert.Contains("tasks/netstandard2.0/SecureByDesign.Build.Tasks.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/SecureByDesign.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/SecureByDesign.CodeFixes.dll", entries);
        Assert.Contains("tools/sbd/sbd.dll", entries);
        Assert.Contains("tools/sbd/SecureByDesign.Updates.dll", entries);
        // MSBuild's own assemblies come from the host, never from the package.
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.Build", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));

        using (var archive = System.IO.Compression.ZipFile.OpenRead(packages.SdkPackage))
        using (var reader = new StreamReader(archive.GetEntry("tools/sbd/sbd.runtimeconfig.json")!.Open()))
        {
            var options = System.Text.Json.JsonDocument.Parse(reader.ReadToEnd()).RootElement.GetProperty("runtimeOptions");
            Assert.Equal("net8.0", options.GetProperty("tfm").GetString());
            Assert.Equal("Major", options.GetProperty("rollForward").GetString());
        }

        var metadata = Metadata(packages.SdkPackage);
        Assert.Equal(PackedPackages.SdkId, metadata["id"].Value);
        Assert.Equal("MSBuildSdk", (string?)metadata["packageTypes"].Elements().Single().Attribute("name"));
        Assert.False(metadata.ContainsKey("dependencies") && metadata["dependencies"].Descendants().Any(e => e.Name.LocalName == "dependency"));
    }

    private static Dictionary<string, System.Xml.Linq.XElement> Metadata(string package) =>
        PackedPackages.ReadNuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata")
            .Elements().ToDictionary(e => e.Name.LocalName);
}
