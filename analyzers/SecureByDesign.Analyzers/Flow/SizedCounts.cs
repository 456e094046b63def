using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A count that sized an allocation just before the loop that runs up to it:
/// <c>list = new List&lt;long&gt;(count); for (i = 0; i &lt; count; i++) list.Add(Read());</c>. The allocation meets the
/// count first, so the cap belongs there, and SBD2003 asks for it there (the count is as untrusted and uncapped at the
/// allocation as at the loop: nothing between writes it); a second report on the loop would be the same defect twice,
/// fixed by the same cap. Read from the method's syntax: the allocation (one SBD2003 checks, of the count itself) is the
/// whole value of an earlier plain statement of a block or switch section around the loop; nothing from it to the loop
/// writes the count, and the method has no <c>goto</c>, and neither captures, aliases nor takes the address of the count.
/// </summary>
internal static class SizedCounts
{
    public static bool Before(SyntaxNode loop, IOperation count, FlowContext flow, Func<IOperation, IOperation?> allocationSize)
    {
        if (count.WalkDownConversions() is not ILocalReferenceOperation { Local: var local } || flow.Model is not { } model
            || model.SyntaxTree != loop.SyntaxTree || !Plain(loop, local, model))
        {
            return false;
        }

        if (Writes(loop, local, model))
        {
            return false;
        }

        // Out through the statements around the loop, as far as a lambda, a member or an enclosing loop (whose next pass
        // may come back with another count).
        for (var node = loop; node.Parent is { } parent; node = parent)
        {
            if (parent is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax
                or ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
            {
                return false;
            }

            if (Header(parent) is { } header && Writes(header, local, model))
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
                if (Writes(statement, local, model))
                {
                    return false;
                }

                if (SizesWith(statement, local, model, allocationSize))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The method holding the loop has no <c>goto</c> (a jump may skip the allocation or come back with another count),
    /// and no lambda or local function captures the count, nor does anything take its address or a reference to it.
    /// </summary>
    private static bool Plain(SyntaxNode loop, ILocalSymbol local, SemanticModel model)
    {
        var body = loop.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        if (body is null || body.DescendantNodes().Any(n => n is GotoStatementSyntax or LabeledStatementSyntax))
        {
            return false;
        }

        foreach (var node in body.DescendantNodes())
        {
            if (node is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
                && (name.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                    || name.Parent is RefExpressionSyntax or ArgumentSyntax { RefKindKeyword.RawKind: not 0 }
                    || name.Parent is PrefixUnaryExpressionSyntax { OperatorToken.Text: "&" })
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What a statement around the loop runs before it, besides the statements that hold it.</summary>
    private static SyntaxNode? Header(SyntaxNode statement) => statement switch
    {
        IfStatementSyntax branch => branch.Condition,
        SwitchStatementSyntax choice => choice.Expression,
        UsingStatementSyntax { Declaration: { } declaration } => declaration,
        UsingStatementSyntax { Expression: { } expression } => expression,
        LockStatementSyntax guarded => guarded.Expression,
        FixedStatementSyntax fixedStatement => fixedStatement.Declaration,
        _ => null,
    };

    private static bool Writes(SyntaxNode node, ILocalSymbol local, SemanticModel model)
    {
        var flow = node switch
        {
            StatementSyntax statement => model.AnalyzeDataFlow(statement),
            ExpressionSyntax expression => model.AnalyzeDataFlow(expression),
            _ => null,
        };
        return flow is not { Succeeded: true } || flow.WrittenInside.Contains(local);
    }

    /// <summary>
    /// <c>var list = new List&lt;T&gt;(count);</c> or <c>list = new T[count];</c>: the statement's whole value is an
    /// allocation SBD2003 checks, of the count itself (not a cast of it, which may be another number).
    /// </summary>
    private static bool SizesWith(StatementSyntax statement, ILocalSymbol local, SemanticModel model, Func<IOperation, IOperation?> allocationSize)
    {
        var value = statement switch
        {
            LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } => variables[0].Initializer?.Value,
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression } assignment } => assignment.Right,
            _ => null,
        };
        if (value is null || model.GetOperation(value) is not { } allocation || allocationSize(allocation.WalkDownConversions()) is not { } size)
        {
            return false;
        }

        var sized = size is IConversionOperation { IsImplicit: true } widened ? widened.Operand : size;
        return sized is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
    }
}
