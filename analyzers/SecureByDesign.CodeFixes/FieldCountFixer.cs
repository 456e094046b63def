using System.Composition;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace SecureByDesign.Analyzers;

/// <summary>
/// SBD1003: inserts one check of the exact field count before the first read of the record in the member,
/// <c>if (fields.Length != N) throw new InvalidDataException($"Expected N fields but found {fields.Length}.")</c>,
/// where N is one more than the highest constant index the member reads (or a helper it calls needs).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FieldCountFixer)), Shared]
public sealed class FieldCountFixer : DocumentFixer
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.FieldCountNotChecked);

    protected override string? Title(Diagnostic diagnostic, SyntaxNode root) =>
        Target(diagnostic, root) is not null ? "Check the record's field count" : null;

    protected override void Fix(DocumentEditor editor, Diagnostic diagnostic, ISet<object> done, CancellationToken cancellationToken)
    {
        if (Target(diagnostic, editor.OriginalRoot) is not var (member, statement, record, needed) || !done.Add((member, record)))
        {
            return;
        }

        var length = diagnostic.Properties[FieldCountAnalyzer.LengthKey]!;
        var count = needed.ToString(CultureInfo.InvariantCulture);
        var generator = editor.Generator;
        var exception = TypeOf(generator, editor.SemanticModel.Compilation, "System.IO.InvalidDataException");
        var message = SyntaxFactory.ParseExpression($"$\"Expected {count} fields but found {{{record}.{length}}}.\"");
        var check = generator.IfStatement(
            SyntaxFactory.ParseExpression($"{record}.{length} != {count}"),
            new[] { generator.ThrowStatement(generator.ObjectCreationExpression(exception, message)) });
        editor.InsertBefore(statement, check.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation));
    }

    /// <summary>The member, the statement to insert before (that of the first constant read of the record), the record, and the count.</summary>
    private static (SyntaxNode Member, StatementSyntax Statement, string Record, int Count)? Target(Diagnostic diagnostic, SyntaxNode root)
    {
        if (!diagnostic.Properties.TryGetValue(FieldCountAnalyzer.RecordKey, out var record) || !IsPlainName(record)
            || !int.TryParse(diagnostic.Properties[FieldCountAnalyzer.CountKey], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
            || node.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) is not { } member)
        {
            return null;
        }

        // Every constant read of the same record in the member: the highest sets the count, the first places the check.
        var reads = member.DescendantNodes()
            .OfType<ElementAccessExpressionSyntax>()
            .Where(e => e.Expression.ToString() == record && e.ArgumentList.Arguments.Count == 1
                && e.ArgumentList.Arguments[0].Expression is LiteralExpressionSyntax { Token.Value: int })
            .ToList();
        foreach (var read in reads)
        {
            count = Math.Max(count, (int)((LiteralExpressionSyntax)read.ArgumentList.Arguments[0].Expression).Token.Value! + 1);
        }

        var first = reads.Select(r => (SyntaxNode)r).Append(node).Where(r => r.SpanStart <= node.SpanStart).OrderBy(r => r.SpanStart).First();
        var statement = StatementInBlock(first) ?? StatementInBlock(node);
        return statement is null ? null : (member, statement, record!, count);
    }
}
