using System.Reflection;

namespace SecureByDesign.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository is, and the configuration this test assembly was built in.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration (Debug, Release) of this assembly, and so of the projects it referenced.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BuildConfiguration").Value
        ?? throw new InvalidOperationException("The BuildConfiguration assembly metadata is missing.");

    public static string Samples => Path.Combine(Root, "samples");

    public static string AnalyzersPackageProject => Path.Combine(Root, "analyzers", "SecureByDesign.Analyzers.Package", "SecureByDesign.Analyzers.Package.csproj");

    public static string AnnotationsProject => Path.Combine(Root, "analyzers", "SecureByDesign.Annotations", "SecureByDesign.Annotations.csproj");

    public static string SdkProject => Path.Combine(Root, "sdk", "SecureByDesign.Sdk", "SecureByDesign.Sdk.csproj");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureByDesign.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No SecureByDesign.sln above {AppContext.BaseDirectory}.");
    }
}
