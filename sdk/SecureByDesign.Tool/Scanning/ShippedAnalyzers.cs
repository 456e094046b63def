using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Tool.Scanning
{
    /// <summary>The SecureByDesign analyzers the tool ships with: one instance of every C# analyzer of the assembly.</summary>
    internal static class ShippedAnalyzers
    {
        /// <summary>The analyzer assembly (built from this repository, copied beside the tool).</summary>
        public static Assembly Assembly { get; } = Assembly.Load(new AssemblyName("SecureByDesign.Analyzers"));

        /// <summary>The assembly's informational version, for reports.</summary>
        public static string Version { get; } =
            Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? Assembly.GetName().Version?.ToString() ?? "0.0.0";

        /// <summary>A new instance of each analyzer, ordered by type name.</summary>
        public static ImmutableArray<DiagnosticAnalyzer> Create() =>
            Assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                    && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .ToImmutableArray();
    }
}
