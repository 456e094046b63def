using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// <c>if (text.StartsWith(prefix, StringComparison.Ordinal)) rest = text.Substring(prefix.Length);</c>: text begins with
/// prefix, so it is at least as long, and an offset of prefix's length fits it whatever prefix holds. The guard is the
/// condition of an <c>if</c> whose statement holds the call (alone or joined by <c>&amp;&amp;</c>), or an earlier
/// <c>if (!text.StartsWith(prefix, ...))</c> in the same block that leaves it (return, throw, break, continue). Only an
/// ordinal comparison (<c>Ordinal</c> or <c>OrdinalIgnoreCase</c>) counts: a culture's comparison ignores some
/// characters, so the text may be shorter than the prefix it matched. Text and prefix are matched by their written
/// form, and nothing they are written with may be assigned between the guard and the call. Read from the syntax (the
/// engine's graph has no statements), only for an untrusted offset written <c>prefix.Length</c>.
/// </summary>
internal static class PrefixGuards
{
    /// <summary>True when offset is <c>prefix.Length</c> and the call on buffer runs only when buffer starts with prefix.</summary>
    public static bool Skips(IOperation call, IOperation buffer, IOperation offset, SemanticModel? model)
    {
        if (offset.WalkDownConversions() is not IPropertyReferenceOperation { Property.Name: "Length", Instance: { Type: { } prefixType } prefix }
            || !(prefixType.SpecialType == SpecialType.System_String || prefixType is IArrayTypeSymbol || IsSpan(prefixType))
            || !(buffer.Type?.SpecialType == SpecialType.System_String || IsSpan(buffer.Type))
            || (call.SemanticModel ?? model) is not { } semantics
            || semantics.SyntaxTree != call.Syntax.SyntaxTree)
        {
            return false;
        }

        var text = buffer.WalkDownConversions().Syntax;
        var names = Names(text).Concat(Names(prefix.Syntax)).ToImmutableHashSet();
        SyntaxNode child = call.Syntax;
        foreach (var parent in call.Syntax.Ancestors())
        {
            if (parent is IfStatementSyntax guarded && guarded.Statement == child
                && Conjuncts(guarded.Condition).Any(c => StartsWith(c, text, prefix.Syntax, semantics)))
            {
                return !Written(guarded.Statement, call.Syntax.SpanStart, names);
            }

            if (parent is BlockSyntax block)
            {
                foreach (var statement in block.Statements)
                {
                    if (statement == child)
                    {
                        break;
                    }

                    if (statement is IfStatementSyntax { Else: null } exit && Leaves(exit.Statement)
                        && Disjuncts(exit.Condition).Any(d => d is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not && StartsWith(not.Operand, text, prefix.Syntax, semantics))
                        && !Written(block, call.Syntax.SpanStart, names, exit.Span.End))
                    {
                        return true;
                    }
                }
            }

            if (parent is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)
            {
                break;
            }

            child = parent;
        }

        return false;
    }

    /// <summary>
    /// <c>text.StartsWith(prefix, StringComparison.Ordinal)</c> of a string, or <c>span.StartsWith(prefix)</c> of a span
    /// (<c>MemoryExtensions</c>: element by element), with an ordinal comparison when it takes one.
    /// </summary>
    private static bool StartsWith(ExpressionSyntax condition, SyntaxNode text, SyntaxNode prefix, SemanticModel model) =>
        Unwrap(condition) is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "StartsWith" } access, ArgumentList.Arguments: { Count: 1 or 2 } arguments } starts
        && SyntaxFactory.AreEquivalent(Unwrap(access.Expression), text)
        && SyntaxFactory.AreEquivalent(Unwrap(arguments[0].Expression), prefix)
        && model.GetSymbolInfo(starts).Symbol is IMethodSymbol method
        && (method.ContainingType.SpecialType == SpecialType.System_String ? arguments.Count == 2 && method.Parameters.Length == 2 && method.Parameters[0].Type.SpecialType == SpecialType.System_String
            : method.ContainingType is { Name: "MemoryExtensions", ContainingNamespace.Name: "System" })
        && (arguments.Count == 1
            || model.GetConstantValue(arguments[1].Expression) is { HasValue: true, Value: (int)StringComparison.Ordinal or (int)StringComparison.OrdinalIgnoreCase });

    private static bool IsSpan(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System", TypeArguments.Length: 1 };

    private static ExpressionSyntax Unwrap(ExpressionSyntax expression) =>
        expression is ParenthesizedExpressionSyntax parenthesized ? Unwrap(parenthesized.Expression) : expression;

    private static IEnumerable<ExpressionSyntax> Conjuncts(ExpressionSyntax condition) =>
        Unwrap(condition) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and
            ? Conjuncts(and.Left).Concat(Conjuncts(and.Right))
            : new[] { Unwrap(condition) };

    private static IEnumerable<ExpressionSyntax> Disjuncts(ExpressionSyntax condition) =>
        Unwrap(condition) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } or
            ? Disjuncts(or.Left).Concat(Disjuncts(or.Right))
            : new[] { Unwrap(condition) };

    /// <summary>The statement leaves the block: return, throw, break, continue (or a block that ends with one).</summary>
    private static bool Leaves(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax => true,
        ExpressionStatementSyntax { Expression: ThrowExpressionSyntax } => true,
        BlockSyntax { Statements.Count: > 0 } block => Leaves(block.Statements[block.Statements.Count - 1]),
        _ => false,
    };

    /// <summary>The identifiers text and prefix are written with.</summary>
    private static IEnumerable<string> Names(SyntaxNode node) =>
        node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText);

    /// <summary>Something named like a part of text or prefix is assigned (or passed by reference) in the region before the call.</summary>
    private static bool Written(SyntaxNode region, int call, ImmutableHashSet<string> names, int from = 0) =>
        // A write that ends before the call (not the assignment of the call's own result: rest = rest.Slice(prefix.Length)).
        region.DescendantNodes().Any(node => node.SpanStart >= from && node.Span.End <= call && node switch
        {
            AssignmentExpressionSyntax assignment => Names(assignment.Left).Any(names.Contains),
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } step => Names(step.Operand).Any(names.Contains),
            PostfixUnaryExpressionSyntax step => Names(step.Operand).Any(names.Contains),
            ArgumentSyntax { RefKindKeyword.RawKind: not 0 } reference => Names(reference.Expression).Any(names.Contains),
            _ => false,
        });
}
