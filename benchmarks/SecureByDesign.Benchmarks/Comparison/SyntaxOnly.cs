using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Benchmarks.Comparison;

/// <summary>
/// An analyzer with one empty syntax node action on every method, constructor and accessor: what the compiler's analyzer
/// driver costs before any operation tree is built (it still binds each body's declarations for its compilation events
/// and hands each declaration a semantic model), measured in the same run as the floor of operation trees. An analyzer
/// that picked its bodies by syntax and asked for operation trees only of those would pay this, and the trees it asked for.
/// </summary>
// A measuring instrument handed to the benchmark's compilations, never loaded by a compiler or shipped: the rules for
// analyzer assemblies do not apply to it.
#pragma warning disable RS1041, RS1036, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class SyntaxOnly : DiagnosticAnalyzer
{
    public const string Name = "Syntax only (an empty syntax node action on every body)";

    private static readonly DiagnosticDescriptor Never = new("FLOOR002", "Never reported", "Never reported", "Cost", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSyntaxNodeAction(_ => { }, SyntaxKind.MethodDeclaration, SyntaxKind.ConstructorDeclaration, SyntaxKind.GetAccessorDeclaration, SyntaxKind.SetAccessorDeclaration);
    }
}

#pragma warning restore RS1041, RS1036, RS2008
