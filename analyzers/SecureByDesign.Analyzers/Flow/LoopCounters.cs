using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace SecureByDesign.Analyzers.Flow;

/// <summary>
/// A counter the content drives: stepped up in a loop whose iterations the content decides, and compared with nothing in
/// that loop. <c>while (code &gt; clearCode) { stack[top++] = suffix[code]; code = prefix[code]; }</c> pushes as many
/// times as the chain of codes from the content is long, so <c>top</c> goes as far as the content wants, although nothing
/// in it was read. Quiet when the loop compares the counter (<c>&amp;&amp; top &lt; stack.Length</c>, or anywhere in the loop,
/// unless all it proves is a bound on another buffer), passes it to a call, assigns it otherwise or steps it down, and when the loop is a counted one: a variable of its
/// condition is stepped in it (<c>for (i = 0; i &lt; n; i++)</c>, <c>while (left-- &gt; 0)</c>), which bounds the iterations by
/// what the condition compares it with, as an index below it is bounded (<see cref="Conditions"/>), and when the content
/// only sets a bound the loop walks up to (<c>while (reader.Position &lt; end)</c>): the value the content decides must
/// change in the loop (assigned there, or read in the condition).
/// Read from syntax, once per loop and variable, with the method's semantic model.
/// </summary>
internal static class LoopCounters
{
    [Flags]
    internal enum Uses
    {
        None = 0,
        SteppedUp = 1,
        SteppedDown = 2,
        Compared = 4,
        Assigned = 8,
    }

    /// <summary>
    /// The fact of a trusted index that is such a counter: as untrusted as the loop's condition, with its origin; null
    /// when it is not one. A counter the loop compares is one only when what it proved is a bound on another buffer than
    /// <paramref name="buffer"/> (the key of the buffer indexed, when known).
    /// </summary>
    public static ValueFact? ContentDriven(IOperation index, object? buffer, ValueFact fact, FlowState state, FlowContext context)
    {
        if (context.Model is not { } model || index.Syntax.SyntaxTree != model.SyntaxTree || Counter(index.Syntax, model, context.CancellationToken) is not { } counter)
        {
            return null;
        }

        var loop = index.Syntax.Ancestors().TakeWhile(n => n is not (MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
            .FirstOrDefault(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax);
        var condition = loop switch
        {
            WhileStatementSyntax @while => @while.Condition,
            DoStatementSyntax @do => @do.Condition,
            ForStatementSyntax @for => @for.Condition,
            _ => null,
        };
        if (loop is null || condition is null || model.GetOperation(condition, context.CancellationToken) is not { } test)
        {
            return null;
        }

        // Stepped up only; compared in the loop, only against another buffer's length (top < output.Length before stack[top++]).
        var uses = UsesIn(loop, counter, model, context);
        var bounds = fact.BelowLength.Concat(fact.AtMostLength).Where(b => b is not (FlowKey.Remainder or FlowKey.Allocated) && b != FlowKey.Capped).ToList();
        if ((uses & ~Uses.Compared) != Uses.SteppedUp
            || ((uses & Uses.Compared) != 0 && (buffer is null || bounds.Count == 0 || bounds.Any(b => FlowKey.Comparer.Equals(b, buffer)))))
        {
            return null;
        }

        // What the content decides in the condition: a value read from it, not a counter the loop steps.
        string? driver = null, origin = null;
        foreach (var operand in test.DescendantsAndSelf())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var symbol = FlowKey.Of(operand) switch
            {
                ILocalSymbol local => (ISymbol)local,
                IFieldSymbol field => field,
                IParameterSymbol parameter => parameter,
                _ => null,
            };
            if (symbol is null && operand is not IInvocationOperation)
            {
                continue;
            }

            if (symbol is not null && !SymbolEqualityComparer.Default.Equals(symbol, counter) && (UsesIn(loop, symbol, model, context) & (Uses.SteppedUp | Uses.SteppedDown)) != 0)
            {
                return null; // a counted loop
            }

            // The content drives the loop when what it decides changes from one iteration to the next: a value the loop
            // assigns (code = prefix[code], (b = stream.ReadByte()) != -1) or a read in the condition. A bound it only
            // compares with (while (reader.Position < end)) is a range the loop walks, as in a counted loop.
            var changes = symbol is null || (UsesIn(loop, symbol, model, context) & Uses.Assigned) != 0;
            if (driver is null && changes && Evaluator.Eval(operand, state, context) is { Untrusted: true } read)
            {
                driver = operand.Syntax.ToString();
                origin = read.Origin;
            }
        }

        return driver is null
            ? null
            : fact.WithUntrusted(true, $"a counter of the iterations of '{Head(loop, condition)}', which '{driver}' from {origin} drives,");
    }

    private static string Head(SyntaxNode loop, ExpressionSyntax condition) => loop switch
    {
        WhileStatementSyntax => $"while ({condition})",
        DoStatementSyntax => $"do ... while ({condition})",
        _ => $"for (...; {condition}; ...)",
    };

    /// <summary>The local or field an index steps or reads: <c>top++</c>, <c>++top</c>, <c>this.top++</c>, <c>top</c>, through casts.</summary>
    private static ISymbol? Counter(SyntaxNode index, SemanticModel model, CancellationToken cancellationToken)
    {
        var syntax = index;
        while (syntax is CastExpressionSyntax or ParenthesizedExpressionSyntax or CheckedExpressionSyntax)
        {
            syntax = syntax switch
            {
                CastExpressionSyntax cast => cast.Expression,
                ParenthesizedExpressionSyntax parenthesized => parenthesized.Expression,
                CheckedExpressionSyntax @checked => @checked.Expression,
                _ => syntax,
            };
        }

        syntax = syntax switch
        {
            PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) => postfix.Operand,
            PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) => prefix.Operand,
            _ => syntax,
        };
        return syntax is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }
            && model.GetSymbolInfo(syntax, cancellationToken).Symbol is ILocalSymbol or IFieldSymbol { IsConst: false } ? model.GetSymbolInfo(syntax, cancellationToken).Symbol : null;
    }

    /// <summary>How a loop uses a variable: stepped up (<c>++</c>, <c>+=</c>) or down, compared (or passed on), or assigned.</summary>
    private static Uses UsesIn(SyntaxNode loop, ISymbol symbol, SemanticModel model, FlowContext context)
    {
        if (context.LoopUses.TryGetValue((loop, symbol), out var known))
        {
            return known;
        }

        var uses = Uses.None;
        foreach (var name in loop.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (name.Identifier.ValueText != symbol.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, context.CancellationToken).Symbol, symbol))
            {
                continue;
            }

            SyntaxNode use = name.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == name ? access : name;
            uses |= use.Parent switch
            {
                PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) => Uses.SteppedUp,
                PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) => Uses.SteppedUp,
                PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostDecrementExpression) => Uses.SteppedDown,
                PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreDecrementExpression) => Uses.SteppedDown,
                AssignmentExpressionSyntax assignment when assignment.Left == use && assignment.IsKind(SyntaxKind.AddAssignmentExpression) => Uses.SteppedUp,
                AssignmentExpressionSyntax assignment when assignment.Left == use && assignment.IsKind(SyntaxKind.SubtractAssignmentExpression) => Uses.SteppedDown,
                AssignmentExpressionSyntax assignment when assignment.Left == use => Uses.Assigned,
                ArgumentSyntax { RefKindKeyword.RawKind: not 0 } => Uses.Assigned,
                _ when Compared(use) => Uses.Compared,
                _ => Uses.None,
            };
        }

        // Declared inside the loop: a fresh count each iteration.
        if (symbol is ILocalSymbol && symbol.DeclaringSyntaxReferences.Any(r => loop.Span.Contains(r.Span)))
        {
            uses |= Uses.Assigned;
        }

        context.LoopUses[(loop, symbol)] = uses;
        return uses;
    }

    /// <summary>Compared or handed on: an operand of a comparison or a pattern, or an argument (<c>Math.Min(top, n)</c>, <c>Grow(top)</c>).</summary>
    private static bool Compared(SyntaxNode use)
    {
        for (var node = use.Parent; node is not null and not StatementSyntax; node = node.Parent)
        {
            switch (node)
            {
                case BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                    or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression:
                case IsPatternExpressionSyntax:
                case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax or ObjectCreationExpressionSyntax } }:
                    return true;
                case ElementAccessExpressionSyntax or BracketedArgumentListSyntax:
                    return false; // an index, not a comparison of it
            }
        }

        return false;
    }
}
