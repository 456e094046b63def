using System.IO.Compression;
using System.Xml.Linq;

namespace SecureByDesign.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Packs SecureByDesign.Analyzers, SecureByDesign.Annotations and SecureByDesign.Sdk once for all the end-to-end tests, from
/// what the build of this test project already built (<c>dotnet pack --no-build</c> in the same
/// configuration), into a feed folder of their own under a temporary folder that is deleted afterwards.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    public const string AnalyzersId = "SecureByDesign.Analyzers";
    public const string AnnotationsId = "SecureByDesign.Annotations";
    public const string SdkId = "SecureByDesign.Sdk";

    public PackedPackages()
    {
        WorkRoot = Path.Combine(Path.GetTempPath(), "sbd-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Feed = Directory.CreateDirectory(Path.Combine(WorkRoot, "feed")).FullName;

        var packs = new[] { RepositoryPaths.AnalyzersPackageProject, RepositoryPaths.AnnotationsProject, RepositoryPaths.SdkProject }
            .Select(project => Task.Run(() => DotNet.Run(
                RepositoryPaths.Root,
                environment: null,
                log: null,
                "pack", project, "--no-build", "-c", RepositoryPaths.Configuration, "-o", Feed, "-nologo")))
            .ToArray();
        foreach (var pack in packs)
        {
            var result = pack.GetAwaiter().GetResult();
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Packing failed. " + result.Describe());
            }
        }

        AnalyzersPackage = Single(AnalyzersId);
        AnnotationsPackage = Single(AnnotationsId);
        SdkPackage = Single(SdkId);
        Version = (string)ReadNuspec(AnalyzersPackage).Descendants().Single(e => e.Name.LocalName == "version");
    }

    /// <summary>A temporary folder for everything the tests write; deleted with the fixture.</summary>
    public string WorkRoot { get; }

    /// <summary>The folder feed that holds the three packages and nothing else.</summary>
    public string Feed { get; }

    public string AnalyzersPackage { get; }

    public string AnnotationsPackage { get; }

    public string SdkPackage { get; }

    /// <summary>The version every package were packed with.</summary>
    public string Version { get; }

    public static XDocument ReadNuspec(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        var entry = archive.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    public static IReadOnlyList<string> Entries(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        return archive.Entries.Select(e => e.FullName).ToList();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is cleaned by the system.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Single(string id)
    {
        // The id is followed by the version: SecureByDesign.Analyzers.0.1.2.nupkg, not SecureByDesign.Annotations...
        var matches = Directory.GetFiles(Feed, id + ".*.nupkg")
            .Where(p => char.IsDigit(Path.GetFileName(p)[(id.Length + 1)..][0]))
            .ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {id} package in the feed, found: {string.Join(", ", Directory.GetFiles(Feed))}");
    }
}

[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packed packages";
}
