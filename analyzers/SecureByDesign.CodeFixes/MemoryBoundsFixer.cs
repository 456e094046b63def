using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD2001: inserts <c>if ((uint)i &gt;= (uint)buffer.Length) throw new InvalidDataException(...)</c> before the
/// statement, when the index and the buffer are plain names (evaluating them twice changes nothing).
/// SBD2002: inserts the overflow-safe range check <c>(uint)offset &gt; (uint)buffer.Length || (uint)length &gt; (uint)(buffer.Length - offset)</c>.
/// SBD2008: rewrites <c>offset + length &gt; buffer.Length</c> to the unsigned form that cannot overflow.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MemoryBoundsFixer))]
public sealed class MemoryBoundsFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.UncheckedIndex, RuleIds.UncheckedRange, RuleIds.UnsafeOffset, RuleIds.OverflowingBoundsCheck);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) => diagnostic.Id switch
    {
        RuleIds.UncheckedIndex when CheckTarget(diagnostic, root) is not null => "Check the index against the buffer's length",
        RuleIds.UncheckedRange when CheckTarget(diagnostic, root) is not null => "Check the range against the buffer's length",
        RuleIds.UnsafeOffset when PinnedTarget(diagnostic, root) is not null => "Check the offset against the pinned buffer's length",
        RuleIds.OverflowingBoundsCheck when Sum(root, diagnostic) is not null => "Compare as unsigned",
        _ => null,
    };

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (diagnostic.Id == RuleIds.OverflowingBoundsCheck)
        {
            FixSum(editor, diagnostic, done);
            return;
        }

        if (diagnostic.Id == RuleIds.UnsafeOffset)
        {
            if (PinnedTarget(diagnostic, editor.OriginalRoot) is var (use, pinned) && diagnostic.Properties[MemoryBoundsAnalyzer.OffsetKey] is { } offset
                && done.Add((use, offset, pinned)))
            {
                // A read of n elements: offset > Length - n cannot overflow, and rejects every offset of a buffer shorter than n.
                var outside = Width(diagnostic) is var width and > 1
                    ? $"{offset} < 0 || {offset} > {pinned}.Length - {width}"
                    : $"(uint){offset} >= (uint){pinned}.Length";
                InsertRejection(editor, use, outside, $"Offset '{offset}' is outside '{pinned}'.");
            }

            return;
        }

        if (CheckTarget(diagnostic, editor.OriginalRoot) is not { } statement)
        {
            return;
        }

        var buffer = diagnostic.Properties[MemoryBoundsAnalyzer.BufferKey]!;
        var length = diagnostic.Properties[MemoryBoundsAnalyzer.LengthKey]!;
        string condition, message;
        if (diagnostic.Id == RuleIds.UncheckedIndex)
        {
            var index = diagnostic.Properties[MemoryBoundsAnalyzer.IndexKey]!;
            var unsigned = diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.UnsignedKey, out var type) && type == "ulong" ? "ulong" : "uint";
            condition = $"({unsigned}){index} >= ({unsigned}){buffer}.{length}";
            message = $"Index '{index}' is outside '{buffer}'.";
        }
        else
        {
            var offset = diagnostic.Properties[MemoryBoundsAnalyzer.OffsetKey]!;
            var count = diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.CountKey, out var c) ? c : null;
            condition = count is null
                ? $"(uint){offset} > (uint){buffer}.{length}"
                : $"(uint){offset} > (uint){buffer}.{length} || (uint){count} > (uint)({buffer}.{length} - {offset})";
            message = count is null ? $"Offset '{offset}' is outside '{buffer}'." : $"Range '{offset}, {count}' is outside '{buffer}'.";
        }

        if (!done.Add((statement, condition)))
        {
            return;
        }

        InsertRejection(editor, statement, condition, message);
    }

    /// <summary>The statement to guard, when the index and buffer are names and the statement sits in a block.</summary>
    private static StatementSyntax? CheckTarget(Diagnostic diagnostic, SyntaxNode root)
    {
        var names = new[] { MemoryBoundsAnalyzer.IndexKey, MemoryBoundsAnalyzer.OffsetKey, MemoryBoundsAnalyzer.CountKey, MemoryBoundsAnalyzer.BufferKey }
            .Select(key => diagnostic.Properties.TryGetValue(key, out var text) ? text : null)
            .Where(text => text is not null)
            .ToList();
        if (!diagnostic.Properties.ContainsKey(MemoryBoundsAnalyzer.BufferKey) || !names.All(IsPlainName))
        {
            return null;
        }

        return StatementInBlock(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true));
    }

    /// <summary>For an unsafe offset: the statement to guard and the buffer pinned by the enclosing <c>fixed</c>.</summary>
    private static (StatementSyntax Use, string Pinned)? PinnedTarget(Diagnostic diagnostic, SyntaxNode root)
    {
        if (!diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.OffsetKey, out var offset) || !IsPlainName(offset))
        {
            return null;
        }

        // The buffer the analyzer saw the pointer or reference start at, else what the enclosing fixed statement pins.
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var pinned = diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.BufferKey, out var seen) && IsPlainName(seen)
            ? seen
            : node.FirstAncestorOrSelf<FixedStatementSyntax>()?.Declaration.Variables.FirstOrDefault()?.Initializer?.Value.ToString();
        return StatementInBlock(node) is { } use && IsPlainName(pinned) ? (use, pinned!) : null;
    }

    private static int Width(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(MemoryBoundsAnalyzer.SizeKey, out var size) && int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var width) ? width : 1;

    private static void FixSum(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done)
    {
        if (Sum(editor.OriginalRoot, diagnostic) is not (var comparison, var sum, var length, var failsWhenTrue) || !done.Add(comparison))
        {
            return;
        }

        // offset + length > L   ->  (uint)offset > (uint)L || (uint)length > (uint)(L - offset)
        // offset + length <= L  ->  (uint)offset <= (uint)L && (uint)length <= (uint)(L - offset)
        var offset = sum.Left.WithoutTrivia();
        var count = sum.Right.WithoutTrivia();
        var limit = length.WithoutTrivia();
        var text = failsWhenTrue
            ? $"((uint){Parenthesize(offset)} > (uint){Parenthesize(limit)} || (uint){Parenthesize(count)} > (uint)({limit} - {Parenthesize(offset)}))"
            : $"((uint){Parenthesize(offset)} <= (uint){Parenthesize(limit)} && (uint){Parenthesize(count)} <= (uint)({limit} - {Parenthesize(offset)}))";
        var replacement = SyntaxFactory.ParseExpression(text).WithTriviaFrom(comparison);
        editor.ReplaceNode(comparison, replacement.WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation));
    }

    private static string Parenthesize(ExpressionSyntax expression) =>
        expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax ? expression.ToString() : $"({expression})";

    /// <summary>The comparison, its sum, the length it is compared with, and whether it is true on failure (&gt;) or on success (&lt;=).</summary>
    private static (BinaryExpressionSyntax Comparison, BinaryExpressionSyntax Sum, ExpressionSyntax Length, bool FailsWhenTrue)? Sum(SyntaxNode root, Diagnostic diagnostic)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BinaryExpressionSyntax comparison)
        {
            return null;
        }

        var left = Unwrap(comparison.Left);
        var right = Unwrap(comparison.Right);

        // The rewrite evaluates each operand twice: only side-effect-free ones (names, literals, sums of them).
        if (comparison.DescendantNodes().Any(n => n is InvocationExpressionSyntax or AssignmentExpressionSyntax or PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax { OperatorToken.ValueText: "++" or "--" }))
        {
            return null;
        }

        return comparison.Kind() switch
        {
            SyntaxKind.GreaterThanExpression when left is BinaryExpressionSyntax sum && sum.IsKind(SyntaxKind.AddExpression) => (comparison, sum, comparison.Right, true),
            SyntaxKind.LessThanOrEqualExpression when left is BinaryExpressionSyntax sum && sum.IsKind(SyntaxKind.AddExpression) => (comparison, sum, comparison.Right, false),
            SyntaxKind.LessThanExpression when right is BinaryExpressionSyntax sum && sum.IsKind(SyntaxKind.AddExpression) => (comparison, sum, comparison.Left, true),
            SyntaxKind.GreaterThanOrEqualExpression when right is BinaryExpressionSyntax sum && sum.IsKind(SyntaxKind.AddExpression) => (comparison, sum, comparison.Left, false),
            _ => null,
        };
    }

    private static ExpressionSyntax Unwrap(ExpressionSyntax expression) =>
        expression is ParenthesizedExpressionSyntax parenthesized ? Unwrap(parenthesized.Expression) : expression;
}
