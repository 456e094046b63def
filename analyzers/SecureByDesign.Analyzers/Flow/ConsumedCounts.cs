using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A count the input has already paid for: before the use, a loop ran once for each of its values
/// (<c>for (int i = 0; i &lt; count; i++)</c>, with no <c>break</c>) and read from the count's reader on every pass
/// (<see cref="ConsumingLoops"/>). Past that loop the input held at least <c>count</c> bytes, so a second array or loop
/// of <c>count</c> elements (<c>new Record[count]</c> after reading the offsets, then a pass per record) costs what the
/// input did, times the size of one element: not an amplification. Read from the method's syntax: the loop is an
/// earlier statement of a block that holds the use, and the count is a local assigned once.
/// </summary>
internal static class ConsumedCounts
{
    public static bool Before(IOperation use, IOperation count, FlowContext flow)
    {
        if (count.WalkDownConversions() is not ILocalReferenceOperation { Local: var local }
            || flow.Compilation is not { } compilation
            || Initializers.ValueOf(local, compilation, flow.Model) is null
            || flow.Model is not { } model || model.SyntaxTree != use.Syntax.SyntaxTree)
        {
            return false;
        }

        // Each block around the use, from the innermost out: the statements before the one that holds the use.
        for (var node = use.Syntax; node.Parent is { } parent; node = parent)
        {
            if (parent is not BlockSyntax block || node is not StatementSyntax holder)
            {
                continue;
            }

            foreach (var statement in block.Statements.TakeWhile(s => s != holder))
            {
                if (statement is ForStatementSyntax loop && CountsUpTo(loop, local, model) is { } side
                    && ConsumingLoops.Consumes(loop, side, flow))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// <c>for (int i = 0; i &lt; count; i++)</c> (or <c>++i</c>, <c>i += 1</c>) over the local, whose body has no <c>break</c>
    /// of its own and assigns neither: every value of the count runs a pass. The side of the condition that is the count.
    /// </summary>
    private static IOperation? CountsUpTo(ForStatementSyntax loop, ILocalSymbol count, SemanticModel model)
    {
        if (loop.Declaration?.Variables is not { Count: 1 } variables || variables[0] is not { Initializer.Value: LiteralExpressionSyntax { Token.Value: 0 } } variable
            || loop.Incrementors.Count != 1 || !StepsByOne(loop.Incrementors[0], variable.Identifier.ValueText)
            || loop.Condition is not BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LessThanExpression, Left: IdentifierNameSyntax index } condition
            || index.Identifier.ValueText != variable.Identifier.ValueText
            || model.GetOperation(condition.Right) is not { } side
            || side.WalkDownConversions() is not ILocalReferenceOperation bound || !SymbolEqualityComparer.Default.Equals(bound.Local, count)
            || loop.Statement.DescendantNodesAndSelf().Any(n => n is GotoStatementSyntax || n is BreakStatementSyntax && Owner(n) == loop
                || n is AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } && (target.Identifier.ValueText == index.Identifier.ValueText || target.Identifier.ValueText == count.Name)))
        {
            return null;
        }

        return side;
    }

    private static bool StepsByOne(ExpressionSyntax step, string name) => step switch
    {
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression, Operand: IdentifierNameSyntax operand } => operand.Identifier.ValueText == name,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression, Operand: IdentifierNameSyntax operand } => operand.Identifier.ValueText == name,
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression, Left: IdentifierNameSyntax target, Right: LiteralExpressionSyntax { Token.Value: 1 } } => target.Identifier.ValueText == name,
        _ => false,
    };

    /// <summary>The loop or switch a <c>break</c> belongs to: the innermost around it.</summary>
    private static SyntaxNode? Owner(SyntaxNode jump) =>
        jump.Ancestors().FirstOrDefault(a => a is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or SwitchStatementSyntax);
}
