using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Benchmarks.Comparison;

/// <summary>
/// An analyzer that asks for every method body's operation tree and does nothing with it: the floor that any analyzer
/// reading operations pays before its own work (the compiler binds each body once more for its semantic model and
/// builds the tree), measured in the same run as the sets it is the floor of.
/// </summary>
// A measuring instrument handed to the benchmark's compilations, never loaded by a compiler or shipped: the rules for
// analyzer assemblies do not apply to it.
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class OperationTreesOnly : DiagnosticAnalyzer
{
    public const string Name = "Operation trees only (an empty operation block action)";

    private static readonly DiagnosticDescriptor Never = new("FLOOR001", "Never reported", "Never reported", "Cost", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationBlockAction(_ => { });
    }
}
#pragma warning restore RS1041, RS1036, RS2008
