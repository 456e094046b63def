using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace SecureByDesign.Analyzers.Tests.Meta;

/// <summary>
/// The analyzers and fixes load into the host's compiler: Visual Studio 2022 17.8 and the .NET 8 SDK bring Roslyn 4.8
/// with System.Collections.Immutable, System.Reflection.Metadata and System.Composition 7.0. A reference to a newer
/// version cannot bind there, and the analyzer or every fix silently disappears. This reads the references of the
/// shipped assemblies themselves.
/// </summary>
public class HostCompatibilityTests
{
    /// <summary>The newest version of each assembly the oldest supported host provides; any other reference fails.</summary>
    private static readonly Dictionary<string, Version> OldestHost = new(StringComparer.Ordinal)
    {
        ["netstandard"] = new(2, 0, 0, 0),
        ["Microsoft.CodeAnalysis"] = new(4, 8, 0, 0),
        ["Microsoft.CodeAnalysis.CSharp"] = new(4, 8, 0, 0),
        ["Microsoft.CodeAnalysis.Workspaces"] = new(4, 8, 0, 0),
        ["Microsoft.CodeAnalysis.CSharp.Workspaces"] = new(4, 8, 0, 0),
        ["System.Collections.Immutable"] = new(7, 0, 0, 0),
        ["System.Reflection.Metadata"] = new(7, 0, 0, 0),
        ["System.Composition.AttributedModel"] = new(7, 0, 0, 0),
        ["System.Composition.Runtime"] = new(7, 0, 0, 0),
        ["System.Composition.Hosting"] = new(7, 0, 0, 0),
        ["System.Composition.TypedParts"] = new(7, 0, 0, 0),
    };

    public static TheoryData<string> ShippedAssemblies() => new()
    {
        typeof(MemoryBoundsAnalyzer).Assembly.Location,
        typeof(MemoryLimitsFixer).Assembly.Location,
    };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void ShippedAssembly_ReferencesOnlyWhatTheOldestHostProvides(string path)
    {
        var problems = new List<string>();
        foreach (var (name, version) in References(path))
        {
            if (name == "SecureByDesign.Analyzers")
            {
                continue; // Shipped beside it in the same package.
            }

            if (!OldestHost.TryGetValue(name, out var oldest))
            {
                problems.Add($"{name} {version}: not provided by the host");
            }
            else if (version > oldest)
            {
                problems.Add($"{name} {version}: the oldest supported host has {oldest}");
            }
        }

        Assert.True(problems.Count == 0, $"{Path.GetFileName(path)}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void CheckReadsRealReferences()
    {
        // Guards the check itself: the analyzers do reference Roslyn 4.8, which it must see.
        Assert.Contains(References(typeof(MemoryBoundsAnalyzer).Assembly.Location), r => r.Name == "Microsoft.CodeAnalysis" && r.Version == new Version(4, 8, 0, 0));
    }

    private static List<(string Name, Version Version)> References(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (metadata.GetString(reference.Name), reference.Version))
            .ToList();
    }
}
