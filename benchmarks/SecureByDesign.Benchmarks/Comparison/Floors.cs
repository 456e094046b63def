using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace SecureByDesign.Benchmarks.Comparison;

// Measuring instruments handed to the benchmark's compilations, never loaded by a compiler or shipped: the rules for
// analyzer assemblies do not apply to them.
#pragma warning disable RS1041, RS1036, RS2008

/// <summary>An analyzer that reports nothing: what the compiler pays for the one action it registers, measured in the same run as the sets.</summary>
internal abstract class Floor : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new("FLOOR001", "Never reported", "Never reported", "Cost", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        Register(context);
    }

    protected abstract void Register(AnalysisContext context);
}

/// <summary>
/// An analyzer that asks for every method body's operation tree and does nothing with it: the floor that any analyzer
/// reading operations pays before its own work (the compiler binds each body once more for its semantic model and
/// builds the tree).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class OperationTreesOnly : Floor
{
    public const string Name = "Operation trees only (an empty operation block action)";

    protected override void Register(AnalysisContext context) => context.RegisterOperationBlockAction(_ => { });
}

/// <summary>
/// An analyzer with one empty syntax node action on every method, constructor and accessor: what the compiler's analyzer
/// driver costs before any operation tree is built (it still binds each body's declarations for its compilation events
/// and hands each declaration a semantic model). An analyzer that picked its bodies by syntax and asked for operation
/// trees only of those would pay this, and the trees it asked for.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class SyntaxOnly : Floor
{
    public const string Name = "Syntax only (an empty syntax node action on every body)";

    protected override void Register(AnalysisContext context) =>
        context.RegisterSyntaxNodeAction(_ => { }, SyntaxKind.MethodDeclaration, SyntaxKind.ConstructorDeclaration, SyntaxKind.GetAccessorDeclaration, SyntaxKind.SetAccessorDeclaration);
}
/// <summary>
/// An analyzer with one empty semantic model action: what the compiler's analyzer driver costs to hand an analyzer each
/// tree's semantic model, before the analyzer asks it anything.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class SemanticModelOnly : Floor
{
    public const string Name = "Semantic models only (an empty semantic model action)";

    protected override void Register(AnalysisContext context) => context.RegisterSemanticModelAction(_ => { });
}
#pragma warning restore RS1041, RS1036, RS2008
