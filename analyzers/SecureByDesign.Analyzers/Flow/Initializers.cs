using Microsoft.CodeAnalysis;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The one value a local (never assigned again), a field or a get-only property holds, as an operation. The control
/// flow graph's operations have no semantic model of their own: the method's model answers when the declaration is in
/// its tree, and the compilation makes one otherwise.
/// </summary>
internal static class Initializers
{
    public static IOperation? ValueOf(ISymbol symbol, Compilation? compilation, SemanticModel? model = null)
    {
        compilation ??= model?.Compilation;
        if (compilation is null || Operations.DeclaredInitializer(symbol) is not { } syntax || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return null;
        }

        // The operation comes from the semantic model, so its root is the whole body: what OnlyValue searches for assignments.
#pragma warning disable RS1030 // Only for a declaration in another tree than the analyzed method's.
        var value = (model is not null && model.SyntaxTree == syntax.SyntaxTree ? model : compilation.GetSemanticModel(syntax.SyntaxTree)).GetOperation(syntax);
#pragma warning restore RS1030
        return value is not null && Operations.OnlyValue(symbol, value) is not null ? value : null;
    }
}
