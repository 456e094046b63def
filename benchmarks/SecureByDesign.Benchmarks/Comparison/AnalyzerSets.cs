using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using SecureByDesign.Tool.Scanning;

namespace SecureByDesign.Benchmarks.Comparison;

/// <summary>An analyzer set as a user would turn it on: the analyzers, and the severities their configuration sets.</summary>
internal sealed record AnalyzerSet(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableDictionary<string, ReportDiagnostic> Severities)
{
    /// <summary>The .NET analyzers' version: the one the .NET 10.0.401 SDK ships.</summary>
    public const string NetAnalyzersVersion = "10.0.401";

    /// <summary>Security Code Scan's last release.</summary>
    public const string SecurityCodeScanVersion = "5.6.7";

    /// <summary>The compilation with this set's severities applied.</summary>
    public Compilation Configure(Compilation compilation) =>
        compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(Severities));

    /// <summary>
    /// SecureByDesign (every analyzer, default severities), the floor of any analyzer that reads operations
    /// (<see cref="OperationTreesOnly"/>), the floor of any analyzer with an action on method bodies
    /// (<see cref="SyntaxOnly"/>), the floor of being handed each tree's semantic model (<see cref="SemanticModelOnly"/>), the .NET analyzers with their security rules on and the
    /// rest off (as <c>dotnet_analyzer_diagnostic.category-Security.severity = warning</c> does, which also turns on
    /// the rules that are off by default), and Security Code Scan (its defaults). The last two are restored from
    /// NuGet with the same throw-away project <c>sbd scan</c> uses.
    /// </summary>
    public static IReadOnlyList<AnalyzerSet> Load(TextWriter log)
    {
        var sets = new List<AnalyzerSet>
        {
            new($"SecureByDesign {ShippedAnalyzers.Version}", ShippedAnalyzers.Create(), ImmutableDictionary<string, ReportDiagnostic>.Empty),
            new(OperationTreesOnly.Name, ImmutableArray.Create<DiagnosticAnalyzer>(new OperationTreesOnly()), ImmutableDictionary<string, ReportDiagnostic>.Empty),
            new(SyntaxOnly.Name, ImmutableArray.Create<DiagnosticAnalyzer>(new SyntaxOnly()), ImmutableDictionary<string, ReportDiagnostic>.Empty),
            new(SemanticModelOnly.Name, ImmutableArray.Create<DiagnosticAnalyzer>(new SemanticModelOnly()), ImmutableDictionary<string, ReportDiagnostic>.Empty),
        };
        var restore = PackageRestore.Run(
            new Dictionary<string, string> { ["Microsoft.CodeAnalysis.NetAnalyzers"] = NetAnalyzersVersion, ["SecurityCodeScan.VS2019"] = SecurityCodeScanVersion },
            TimeSpan.FromMinutes(10));
        foreach ((string id, string why) in restore.LeftOut)
        {
            log.WriteLine($"left out {id}: {why}");
        }

        var loader = new AnalyzerLoader();
        if (restore.Analyzers.TryGetValue("Microsoft.CodeAnalysis.NetAnalyzers", out List<string>? net))
        {
            ImmutableArray<DiagnosticAnalyzer> all = Load(net, loader, log);
            var security = all.Where(a => a.SupportedDiagnostics.Any(IsSecurity)).ToImmutableArray();
            var severities = security.SelectMany(a => a.SupportedDiagnostics)
                .GroupBy(d => d.Id, StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.Any(IsSecurity) ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress, StringComparer.Ordinal);
            sets.Add(new($".NET analyzers {NetAnalyzersVersion}, security rules ({severities.Count(s => s.Value == ReportDiagnostic.Warn)} rules)", security, severities));
        }

        if (restore.Analyzers.TryGetValue("SecurityCodeScan.VS2019", out List<string>? scs))
        {
            sets.Add(new($"Security Code Scan {SecurityCodeScanVersion}", Load(scs, loader, log), ImmutableDictionary<string, ReportDiagnostic>.Empty));
        }

        return sets;
    }

    private static bool IsSecurity(DiagnosticDescriptor descriptor) => descriptor.Category == "Security";

    private static ImmutableArray<DiagnosticAnalyzer> Load(IEnumerable<string> paths, AnalyzerLoader loader, TextWriter log)
    {
        var problems = new List<string>();
        var analyzers = loader.Open(paths, problems).SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp)).ToImmutableArray();
        problems.ForEach(log.WriteLine);
        return analyzers;
    }
}
