using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>var buffer = new byte[4096]; stream.Read(buffer, 0, buffer.Length)</c>: an array a method creates in a local has
/// the length it was created with, however untrusted the elements a read fills it with. Its <c>Length</c> is as
/// untrusted as that size, not as its elements: a read count bounded by it, and a position stepped by such counts,
/// stay the program's. Only for a local nothing assigns again (or declared with no initializer and assigned once),
/// created with one size whose locals nothing assigns again either (and whose parameters the method never assigns),
/// so that the size evaluated now is the one the array was created with.
/// </summary>
internal static class LocalBuffers
{
    /// <summary>True when the instance is such a local and its size is trusted.</summary>
    public static bool ProgramSized(IOperation? instance, FlowState state, FlowContext context, int depth) =>
        (Verification.Initial(instance, context.Model) ?? OnlyStore(instance, context.Model)) is IArrayCreationOperation { DimensionSizes.Length: 1 } creation
        && Unchanged(creation.DimensionSizes[0], context.Model)
        && !Evaluator.Eval(creation.DimensionSizes[0], state, context, depth + 1).Untrusted;

    /// <summary>
    /// <c>byte[] bitmap; ... bitmap = new byte[stream.Length];</c>: the value of a local declared with no initializer and
    /// assigned once in its scope (and never passed by <c>ref</c> or <c>out</c>), as an operation; null otherwise.
    /// </summary>
    private static IOperation? OnlyStore(IOperation? instance, SemanticModel? model)
    {
        if (instance?.WalkDownConversions() is not ILocalReferenceOperation { Local: var local }
            || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax { Initializer: null } declarator
            || declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } scope
            || model is null || model.SyntaxTree != scope.SyntaxTree)
        {
            return null;
        }

        ExpressionSyntax? stored = null;
        foreach (var name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != local.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local))
            {
                continue;
            }

            switch (name.Parent)
            {
                case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment when assignment.Left == name && stored is null:
                    stored = assignment.Right;
                    break;
                case AssignmentExpressionSyntax assignment when assignment.Left == name:
                case ArgumentSyntax { RefKindKeyword.RawKind: not 0 }:
                case PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax:
                case RefExpressionSyntax:
                case TupleExpressionSyntax or ArgumentSyntax { Parent: TupleExpressionSyntax }:
                    return null;
            }
        }

        return stored is null ? null : model.GetOperation(stored)?.WalkDownConversions();
    }

    /// <summary>Every local the size reads holds only its initializer, and every parameter it reads is never assigned.</summary>
    private static bool Unchanged(IOperation size, SemanticModel? model)
    {
        foreach (var operation in size.DescendantsAndSelf())
        {
            switch (operation)
            {
                case ILocalReferenceOperation local when !local.Local.IsConst && Initializers.ValueOf(local.Local, null, size.SemanticModel ?? model) is null:
                case IParameterReferenceOperation parameter when parameter.Parameter.RefKind != RefKind.None || Assigned(parameter.Parameter, size.Root()):
                    return false;
            }
        }

        return true;
    }

    private static bool Assigned(IParameterSymbol parameter, IOperation root) =>
        root.Descendants().Any(operation => operation switch
        {
            IAssignmentOperation { Target: IParameterReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Parameter, parameter),
            IIncrementOrDecrementOperation { Target: IParameterReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Parameter, parameter),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: IParameterReferenceOperation passed } => SymbolEqualityComparer.Default.Equals(passed.Parameter, parameter),
            _ => false,
        });
}
