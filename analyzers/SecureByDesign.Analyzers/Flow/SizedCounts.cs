using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A count that sized an allocation just before the loop that runs up to it:
/// <c>list = new List&lt;long&gt;(count); for (i = 0; i &lt; count; i++) list.Add(Read());</c>. The allocation meets the
/// count first, so the cap belongs there, and SBD2003 asks for it there when the count has none; a second report on the
/// loop would be the same defect twice, fixed by the same cap. Read from the method's syntax: the allocation is in an
/// earlier statement of a block or switch section around the loop, a plain statement (run whenever the ones after it
/// are), and no statement between them assigns the count.
/// </summary>
internal static class SizedCounts
{
    public static bool Before(SyntaxNode loop, IOperation count, FlowContext flow)
    {
        if (count.WalkDownConversions() is not ILocalReferenceOperation { Local: var local } || flow.Model is not { } model
            || model.SyntaxTree != loop.SyntaxTree)
        {
            return false;
        }

        // Out through the blocks around the loop, as far as a lambda, a member or an enclosing loop (whose next pass
        // may come back with another count).
        for (var node = loop; node.Parent is { } parent; node = parent)
        {
            if (parent is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax
                or ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
            {
                return false;
            }

            var statements = parent switch
            {
                BlockSyntax block => block.Statements,
                SwitchSectionSyntax section => section.Statements,
                _ => default,
            };
            if (node is not StatementSyntax holder || statements.IndexOf(holder) is var at && at < 0)
            {
                continue;
            }

            for (var i = at - 1; i >= 0; i--)
            {
                var statement = statements[i];
                if (statement is ExpressionStatementSyntax or LocalDeclarationStatementSyntax && SizesWith(statement, local, model))
                {
                    return true;
                }

                if (Assigns(statement, local.Name))
                {
                    return false;
                }
            }
        }

        return false;
    }

    /// <summary>The statement allocates an array or a collection's capacity of exactly the count, outside any lambda.</summary>
    private static bool SizesWith(StatementSyntax statement, ILocalSymbol local, SemanticModel model) =>
        statement.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax).Any(node => node switch
        {
            ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks } when ranks[0].Sizes.Count == 1 => IsCount(ranks[0].Sizes[0], local, model),
            BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } creation =>
                IsCount(arguments[0].Expression, local, model)
                && model.GetOperation(creation) is IObjectCreationOperation { Constructor.Parameters: { Length: 1 } parameters } && parameters[0].Name == "capacity",
            _ => false,
        });

    private static bool IsCount(ExpressionSyntax expression, ILocalSymbol local, SemanticModel model) =>
        expression is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local);

    private static bool Assigns(StatementSyntax statement, string name) =>
        statement.DescendantNodesAndSelf().Any(node => node switch
        {
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } => target.Identifier.ValueText == name,
            PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax operand } => operand.Identifier.ValueText == name,
            PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax operand } => operand.Identifier.ValueText == name,
            ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax passed } => passed.Identifier.ValueText == name,
            _ => false,
        });
}
