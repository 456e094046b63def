using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// The root made to end with a separator where it is missing: <c>if (!root.EndsWith(sep)) root += sep;</c> (or
/// <c>root[root.Length - 1] != sep</c>, <c>root[^1] != sep</c>, <c>!Path.EndsInDirectorySeparator(root)</c>; and
/// <c>root = root + sep</c>), run on every path to the check.
/// </summary>
internal static partial class PathContainment
{
    /// <summary>
    /// True when every assignment of the local after its declaration appends a separator, and one of them is the guarded
    /// idiom in a block that also holds <paramref name="use"/>, before it.
    /// </summary>
    private static bool SeparatorAppended(ILocalReferenceOperation use, Compilation? compilation)
    {
        var local = use.Local;
        if (compilation is null || Operations.DeclaredInitializer(local) is not { } syntax || !compilation.ContainsSyntaxTree(syntax.SyntaxTree)
            || compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax) is not { } initializer)
        {
            return false;
        }

        var guarded = false;
        foreach (var operation in initializer.Root().Descendants())
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            if (target is not ILocalReferenceOperation { IsDeclaration: false } written || !SymbolEqualityComparer.Default.Equals(written.Local, local))
            {
                continue;
            }

            if (!AppendsSeparator(operation, local, compilation))
            {
                return false;
            }

            guarded |= GuardCovers(operation, local, use, compilation);
        }

        return guarded;
    }

    /// <summary><c>x += sep</c> or <c>x = x + sep</c>.</summary>
    private static bool AppendsSeparator(IOperation assignment, ILocalSymbol local, Compilation compilation) => assignment switch
    {
        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound => RootEndsWithSeparator(compound.Value, compilation),
        ISimpleAssignmentOperation { Value: IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum } =>
            sum.LeftOperand.WalkDownConversions() is ILocalReferenceOperation left && SymbolEqualityComparer.Default.Equals(left.Local, local)
            && RootEndsWithSeparator(sum.RightOperand, compilation),
        _ => false,
    };

    /// <summary>
    /// A test that is true when the local does not end with a separator: <c>!x.EndsWith(sep)</c>,
    /// <c>!Path.EndsInDirectorySeparator(x)</c>, <c>x[x.Length - 1] != sep</c> or <c>x[^1] != sep</c>.
    /// </summary>
    private static bool LacksSeparator(IOperation condition, ILocalSymbol local, Compilation compilation)
    {
        switch (condition.WalkDownConversions())
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IInvocationOperation { TargetMethod.Name: "EndsWith", Instance: { } text, Arguments.Length: > 0 } endsWith }:
                return IsLocal(text, local) && RootEndsWithSeparator(endsWith.Arguments[0].Value, compilation);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IInvocationOperation { TargetMethod.Name: "EndsInDirectorySeparator", TargetMethod.ContainingType.Name: "Path", Arguments.Length: 1 } ends }:
                return IsLocal(ends.Arguments[0].Value, local);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } comparison:
                return (IsLastCharacter(comparison.LeftOperand, local) && RootEndsWithSeparator(comparison.RightOperand, compilation))
                    || (IsLastCharacter(comparison.RightOperand, local) && RootEndsWithSeparator(comparison.LeftOperand, compilation));
            default:
                return false;
        }
    }

    /// <summary><c>x[x.Length - 1]</c> or <c>x[^1]</c> of the local.</summary>
    private static bool IsLastCharacter(IOperation operation, ILocalSymbol local) => operation.WalkDownConversions() switch
    {
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } text, Arguments.Length: 1 } indexer =>
            IsLocal(text, local)
            && indexer.Arguments[0].Value.WalkDownConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract, RightOperand.ConstantValue: { HasValue: true, Value: 1 } } minusOne
            && minusOne.LeftOperand.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } measured } && IsLocal(measured, local),
        IImplicitIndexerReferenceOperation { Instance: { } text, Argument: IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat, Operand.ConstantValue: { HasValue: true, Value: 1 } } } =>
            IsLocal(text, local),
        _ => false,
    };

    private static bool IsLocal(IOperation operation, ILocalSymbol local) =>
        operation.WalkDownConversions() is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    /// <summary>
    /// The assignment is the only statement of <c>if (!x.EndsWith(sep))</c> (or another test of <see cref="LacksSeparator"/>) with no else, and that if statement ends
    /// before the use in a block that contains the use.
    /// </summary>
    private static bool GuardCovers(IOperation assignment, ILocalSymbol local, ILocalReferenceOperation use, Compilation compilation)
    {
        var statement = assignment.Parent as IExpressionStatementOperation;
        var branch = statement?.Parent is IBlockOperation { Operations.Length: 1 } block ? block.Parent : statement?.Parent;
        if (branch is not IConditionalOperation { WhenFalse: null } guard || !LacksSeparator(guard.Condition, local, compilation))
        {
            return false;
        }

        // In a top-level program the if statement is a global statement of the compilation unit.
        var container = guard.Syntax.Parent is GlobalStatementSyntax global ? global.Parent : guard.Syntax.Parent as BlockSyntax;
        return container is not null
            && container.Span.Contains(use.Syntax.Span)
            && guard.Syntax.Span.End <= use.Syntax.SpanStart
            && guard.Syntax.SyntaxTree == use.Syntax.SyntaxTree;
    }
}
