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

    private static Dictionary<string, System.Xml.Linq.XElement> Metadata(string package) =>
        PackedPackages.ReadNuspec(package).Root!.Elements().Single(e => e.Name.LocalName == "metadata")
            .Elements().ToDictionary(e => e.Name.LocalName);
}
