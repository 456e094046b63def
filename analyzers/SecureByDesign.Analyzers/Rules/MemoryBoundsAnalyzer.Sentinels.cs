using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SecureByDesign.Analyzers.Flow;

namespace SecureByDesign.Analyzers;

/// <summary>SBD2007 on loops that end only at a sentinel value read from the input, which is -1 on every pass at its end.</summary>
public sealed partial class MemoryBoundsAnalyzer
{
    /// <summary>
    /// A loop that stops only when a byte or character read from the input is some value other than -1
    /// (<c>while ((length = stream.ReadByte()) != 0)</c>), around allocation or I/O: at the end of the input the read
    /// gives -1 on every pass, and unless the loop tests for it (<c>if (length == -1) throw</c>, <c>length &lt; 0</c>) it
    /// never ends.
    /// </summary>
    private static void CheckSentinelLoop(Action<Diagnostic> report, IBinaryOperation condition, FlowState state, FlowContext flow)
    {
        if (WorkingLoop(condition) is not { } loop)
        {
            return;
        }

        foreach (var side in new[] { condition.LeftOperand, condition.RightOperand })
        {
            var other = side == condition.LeftOperand ? condition.RightOperand : condition.LeftOperand;
            if (!other.ConstantValue.HasValue || other.ConstantValue.Value is not (int or char or byte) || other.ConstantValue.Value is -1)
            {
                continue;
            }

            var read = side.WalkDownConversions();
            string? local = null;
            if (read is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment)
            {
                local = target.Local.Name;
                read = assignment.Value.WalkDownConversions();
            }

            if (read is not IInvocationOperation invocation || !GivesMinusOneAtEnd(invocation.TargetMethod)
                || local is not null && TestsForEnd(loop, local) || CountsToAnExit(loop, state, flow))
            {
                continue;
            }

            var fact = Evaluator.Eval(invocation, state, flow);
            if (fact.Untrusted)
            {
                var end = $"{fact.Origin}, -1 at the end of the input where '{condition.Syntax}' never ends the loop,";
                report(Diagnostic.Create(Descriptors.UncappedLoop, condition.Syntax.GetLocation(), local ?? invocation.Syntax.ToString(), end));
                return;
            }
        }
    }

    /// <summary><c>Stream.ReadByte()</c> and its overrides, <c>TextReader.Read()</c> and <c>Peek()</c>: an <c>int</c> that is -1 at the end of the input.</summary>
    private static bool GivesMinusOneAtEnd(IMethodSymbol method)
    {
        if (method.Parameters.Length != 0 || method.ReturnType.SpecialType != SpecialType.System_Int32)
        {
            return false;
        }

        if (method.Name == "ReadByte")
        {
            return true;
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.Name == "TextReader" && type.ContainingNamespace?.ToDisplayString() == "System.IO")
            {
                return method.Name is "Read" or "Peek";
            }
        }

        return false;
    }

    /// <summary>The loop tests <paramref name="local"/> for the end of the input (<c>== -1</c>, <c>&lt; 0</c>, <c>is -1</c>, <c>is &lt; 0</c>).</summary>
    private static bool TestsForEnd(SyntaxNode loop, string local) =>
        loop.DescendantNodes().Any(node => node switch
        {
            BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression =>
                IsName(binary.Left, local) && IsMinusOne(binary.Right) || IsName(binary.Right, local) && IsMinusOne(binary.Left),
            BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression =>
                IsName(binary.Left, local) && IsSign(binary.Right) || IsName(binary.Right, local) && IsSign(binary.Left),
            IsPatternExpressionSyntax pattern => IsName(pattern.Expression, local) && pattern.Pattern.DescendantNodesAndSelf().Any(p =>
                p is ConstantPatternSyntax constant && IsMinusOne(constant.Expression) || p is RelationalPatternSyntax relational && IsSign(relational.Expression)),
            _ => false,
        });

    private static ExpressionSyntax Unwrapped(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    private static bool IsName(ExpressionSyntax expression, string name) =>
        Unwrapped(expression) is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name;

    private static bool IsMinusOne(ExpressionSyntax expression) =>
        Unwrapped(expression) is PrefixUnaryExpressionSyntax { OperatorToken.ValueText: "-", Operand: LiteralExpressionSyntax { Token.Value: 1 } };

    private static bool IsSign(ExpressionSyntax expression) =>
        IsMinusOne(expression) || Unwrapped(expression) is LiteralExpressionSyntax { Token.Value: 0 };

    /// <summary>
    /// The loop counts its passes to a bound and leaves there (<c>length++; if (start + length &gt;= stream.Length) return 0;</c>):
    /// every pass steps a local up, with no <c>continue</c> to skip it, and a test of that local against a bound the loop
    /// does not change (and not from content) exits. At the end of the input the read gives -1 on every pass, but the
    /// count still reaches the bound.
    /// </summary>
    private static bool CountsToAnExit(SyntaxNode loop, FlowState state, FlowContext flow)
    {
        var body = loop switch
        {
            WhileStatementSyntax w => w.Statement,
            DoStatementSyntax d => d.Statement,
            ForStatementSyntax f => f.Statement,
            _ => null,
        };
        if (body is null || flow.Model is not { } model || model.SyntaxTree != loop.SyntaxTree
            || body.DescendantNodes().Any(n => n is ContinueStatementSyntax && n.FirstAncestorOrSelf<StatementSyntax>(s => s is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax) == loop))
        {
            return false;
        }

        var statements = body is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { body };
        // A counter is written only by its step: nothing in the loop sets it back.
        var counters = statements.Select(s => s is ExpressionStatementSyntax { Expression: var step } ? Stepped(step) : null).OfType<string>()
            .Where(name => loop.DescendantNodes().Count(n => Writes(n, name)) == 1).ToList();
        var assigned = AssignedIn(loop);
        foreach (var statement in statements)
        {
            if (statement is not IfStatementSyntax { Else: null, Condition: BinaryExpressionSyntax test } exit || !Exits(exit.Statement)
                || test.Kind() is not (SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression))
            {
                continue;
            }

            var names = test.Left.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText).ToList();
            if (!names.Any(counters.Contains) || names.Any(n => !counters.Contains(n) && assigned.Contains(n)) || test.Right.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => assigned.Contains(n.Identifier.ValueText))
                || model.GetOperation(test.Right) is not { } bound || Evaluator.Eval(bound, state, flow).Untrusted)
            {
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>The local a statement steps up by one (<c>n++</c>, <c>++n</c>, <c>n += 1</c>), or null.</summary>
    private static string? Stepped(ExpressionSyntax step) => step switch
    {
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression, Operand: IdentifierNameSyntax name } => name.Identifier.ValueText,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression, Operand: IdentifierNameSyntax name } => name.Identifier.ValueText,
        AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression, Left: IdentifierNameSyntax name, Right: LiteralExpressionSyntax { Token.Value: 1 } } => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The node assigns, steps up or steps down the local.</summary>
    private static bool Writes(SyntaxNode node, string name) => node switch
    {
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } => target.Identifier.ValueText == name,
        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression, Operand: IdentifierNameSyntax target } => target.Identifier.ValueText == name,
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression, Operand: IdentifierNameSyntax target } => target.Identifier.ValueText == name,
        ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax target } => target.Identifier.ValueText == name,
        _ => false,
    };

    /// <summary>A statement that leaves the loop: <c>return</c>, <c>break</c> or <c>throw</c>, alone or first in a block.</summary>
    private static bool Exits(StatementSyntax statement) =>
        (statement is BlockSyntax { Statements.Count: > 0 } block ? block.Statements[0] : statement) is ReturnStatementSyntax or BreakStatementSyntax or ThrowStatementSyntax;
}
