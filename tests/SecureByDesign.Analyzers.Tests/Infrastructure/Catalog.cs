using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Analyzers.Tests;

/// <summary>Every analyzer and fixer the packages export, found the way a host finds them: by their attributes.</summary>
internal static class Catalog
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.Name)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> Fixers { get; } = typeof(DocumentFixer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
        .OrderBy(t => t.Name)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = Analyzers
        .SelectMany(a => a.SupportedDiagnostics)
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToImmutableArray();

    public static ImmutableHashSet<string> FixableIds { get; } = Fixers.SelectMany(f => f.FixableDiagnosticIds).ToImmutableHashSet();

    /// <summary>The repository root: the folder that holds SecureByDesign.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureByDesign.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SecureByDesign.sln not found above " + AppContext.BaseDirectory);
    }
}
